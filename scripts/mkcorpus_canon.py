#!/usr/bin/python3
"""Writes the canonical-value corpus (internal/cli/testdata/validation-canon): small <config>
documents over the shared module sets where values of the ietf-inet-types address and prefix
typedefs are spelled in non-canonical ways (case, leading zeros, zero compression, embedded IPv4,
prefix host bits), chosen by differential testing against yanglint: duplicate keys that differ
only in spelling, errors inside entries keyed by such values (the error-path predicate shows the
canonical key), addresses the patterns accept but that are no addresses, and the types yanglint
keeps as written (openconfig addresses, domain names). The verdict and first error yanglint gives
each one are recorded in cases.tsv.
The conformance test re-runs yanglint live and requires it to agree with every recorded verdict.
Usage: scripts/mkcorpus_canon.py [SHARED_DIR]"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpuslib import *  # noqa: F401,F403 (module sets and fragments)


def v6s(*entries):
    return ifs(iface('<ipv6 xmlns="%s">%s</ipv6>' % (IP, ''.join(entries))))
def v4s(*entries):
    return ifs(iface('<ipv4 xmlns="%s">%s</ipv4>' % (IP, ''.join(entries))))
def a6(ip, plen='64'):
    return '<address><ip>%s</ip><prefix-length>%s</prefix-length></address>' % (ip, plen)
def a4(ip, plen='24'):
    return '<address><ip>%s</ip><prefix-length>%s</prefix-length></address>' % (ip, plen)
def n6(ip, mac='00:11:22:33:44:55'):
    return '<neighbor><ip>%s</ip><link-layer-address>%s</link-layer-address></neighbor>' % (ip, mac)
def n4(ip, mac='00:11:22:33:44:55'):
    return '<neighbor><ip>%s</ip><link-layer-address>%s</link-layer-address></neighbor>' % (ip, mac)
def route(prefix, nh='192.0.2.1', extra=''):
    return ('<route><destination-prefix>%s</destination-prefix>%s<next-hop><next-hop-address>%s</next-hop-address>'
            '</next-hop></route>' % (prefix, extra, nh))
OCIP = 'http://openconfig.net/yang/interfaces/ip'
def ocsub(body):
    return ocif('eth0', '<name>eth0</name>' + OCT,
                '<subinterfaces><subinterface><index>0</index><config><index>0</index></config>%s</subinterface></subinterfaces>' % body)
def oc6(*entries):
    return ocsub('<ipv6 xmlns="%s"><addresses>%s</addresses></ipv6>' % (OCIP, ''.join(
        '<address><ip>%s</ip><config><ip>%s</ip><prefix-length>64</prefix-length></config></address>' % (k, c) for k, c in entries)))

CASES = [
    # ietf-ip: ipv6 address keys that differ only in spelling are duplicates (RFC 5952 form).
    ('ietf-ip', 'duplicate', 'ipv6 address keys differing in letter case', v6s(a6('2001:DB8::1'), a6('2001:db8::1'))),
    ('ietf-ip', 'duplicate', 'ipv6 address keys uppercase and zero-compressed variant', v6s(a6('2001:DB8::1'), a6('2001:db8:0::1'))),
    ('ietf-ip', 'duplicate', 'ipv6 address keys full form and compressed', v6s(a6('2001:db8:0:0:0:0:0:1'), a6('2001:db8::1'))),
    ('ietf-ip', 'duplicate', 'ipv6 address keys with leading zeros in groups', v6s(a6('2001:0db8::0001'), a6('2001:db8::1'))),
    ('ietf-ip', 'duplicate', 'ipv6 address keys both non-canonical', v6s(a6('2001:0DB8:0000::1'), a6('2001:db8:0:0::0:1'))),
    ('ietf-ip', 'duplicate', 'ipv6 ipv4-mapped dotted and hex forms', v6s(a6('::ffff:1.2.3.4'), a6('::FFFF:102:304'))),
    ('ietf-ip', 'duplicate', 'ipv6 ipv4-compatible dotted and hex forms', v6s(a6('::1.2.3.4'), a6('::102:304'))),
    ('ietf-ip', 'duplicate', 'ipv6 embedded ipv4 in a non-mapped address', v6s(a6('64:ff9b::1.2.3.4'), a6('64:ff9b::102:304'))),
    ('ietf-ip', 'duplicate', 'ipv6 trailing double colon for one zero group', v6s(a6('1:2:3:4:5:6:7::'), a6('1:2:3:4:5:6:7:0'))),
    ('ietf-ip', 'duplicate', 'ipv6 leading double colon for one zero group', v6s(a6('::1:2:3:4:5:6:7'), a6('0:1:2:3:4:5:6:7'))),
    ('ietf-ip', 'duplicate', 'ipv6 six groups and a dotted quad', v6s(a6('1:2:3:4:5:6:1.2.3.4'), a6('1:2:3:4:5:6:102:304'))),
    ('ietf-ip', 'duplicate', 'ipv6 dotted zero quad', v6s(a6('1::0.0.0.0'), a6('1::'))),
    ('ietf-ip', 'duplicate', 'ipv6 unspecified address spelled two ways', v6s(a6('0:0:0:0:0:0:0:0'), a6('::'))),
    ('ietf-ip', 'duplicate', 'ipv6 loopback as dotted quad', v6s(a6('::0.0.0.1'), a6('::1'))),
    ('ietf-ip', 'duplicate', 'ipv6 first of two equal zero runs compressed', v6s(a6('1:0:0:1:0:0:1:0'), a6('1::1:0:0:1:0'))),
    ('ietf-ip', 'duplicate', 'ipv6 longest zero run compressed', v6s(a6('1:0:0:1:0:0:0:1'), a6('1:0:0:1::1'))),
    ('ietf-ip', 'duplicate', 'ipv6 duplicate among three entries', v6s(a6('2001:db8::1'), a6('2001:db8::2'), a6('2001:DB8::2'))),
    ('ietf-ip', 'duplicate', 'ipv6 neighbor keys differing in spelling', v6s(n6('FE80::1'), n6('fe80:0::1'))),
    ('ietf-ip', 'valid', 'ipv6 distinct addresses with different zero runs', v6s(a6('1:0:0:1::'), a6('1::1:0:0:0'))),
    ('ietf-ip', 'valid', 'ipv6 mapped and compatible forms are distinct', v6s(a6('::ffff:1.2.3.4'), a6('::1.2.3.4'))),
    ('ietf-ip', 'valid', 'ipv6 uppercase address alone', v6s(a6('2001:DB8:AB::CD'))),
    ('ietf-ip', 'valid', 'ipv6 neighbors differing only in link-layer address case', v6s(n6('fe80::1', 'AA:BB:CC:DD:EE:FF'), n6('fe80::2', 'aa:bb:cc:dd:ee:ff'))),
    ('ietf-ip', 'valid', 'ipv4 neighbors with mixed-case link-layer addresses', v4s(n4('192.0.2.1', 'AA:bb:CC:dd:EE:ff'), n4('192.0.2.2', 'aa:BB:cc:DD:ee:FF'))),
    # ietf-ip: the error-path predicate of an entry names the canonical key.
    ('ietf-ip', 'location', 'bad prefix-length in an uppercase-keyed ipv6 address', v6s(a6('2001:DB8::1', '200'))),
    ('ietf-ip', 'location', 'bad prefix-length in a full-form ipv6 address', v6s(a6('2001:0db8:0000:0000:0000:0000:0000:0001', '129'))),
    ('ietf-ip', 'location', 'bad prefix-length in a mapped-hex ipv6 address', v6s(a6('::FFFF:102:304', 'x'))),
    ('ietf-ip', 'location', 'bad link-layer address in an uppercase-keyed neighbor', v6s(n6('FE80::A', 'zz'))),
    ('ietf-ip', 'location', 'unknown element inside a non-canonical ipv6 address entry', v6s('<address><ip>2001:DB8::1</ip><prefix-length>64</prefix-length><bogus>1</bogus></address>')),
    ('ietf-ip', 'location', 'missing prefix-length in a non-canonical ipv6 address', v6s('<address><ip>2001:DB8:0::1</ip></address>')),
    # ietf-ip: values the patterns accept that are no addresses.
    ('ietf-ip', 'value', 'ipv6 address with a zero-padded embedded ipv4 octet', v6s(a6('::01.2.3.4'))),
    ('ietf-ip', 'value', 'ipv6 address with a zero-padded last embedded octet', v6s(a6('::1.2.3.04'))),
    ('ietf-ip', 'value', 'ipv6 address with a zone in a no-zone type', v6s(a6('fe80::1%eth0'))),
    ('ietf-ip', 'value', 'ipv6 address with two double colons', v6s(a6('1::2::3'))),
    ('ietf-ip', 'value', 'ipv4 address with a leading zero', v4s(a4('01.2.3.4'))),
    ('ietf-ip', 'duplicate', 'ipv4 address keys written identically', v4s(a4('192.0.2.1'), a4('192.0.2.1'))),
    ('ietf-ip', 'valid', 'ipv4 and ipv6 addresses that denote the same bits', ifs(iface('<ipv4 xmlns="%s">%s</ipv4><ipv6 xmlns="%s">%s</ipv6>' % (IP, a4('1.2.3.4'), IP, a6('::1.2.3.4'))))),
    # ietf-rt: ipv4-prefix keys with host bits set.
    ('ietf-rt', 'duplicate', 'route prefixes differing only in host bits', rt(route('10.1.2.3/8') + route('10.0.0.0/8'))),
    ('ietf-rt', 'duplicate', 'route prefixes both with host bits set', rt(route('192.0.2.77/24') + route('192.0.2.1/24'))),
    ('ietf-rt', 'duplicate', 'default routes spelled two ways', rt(route('1.2.3.4/0') + route('0.0.0.0/0'))),
    ('ietf-rt', 'duplicate', 'route prefix /31 with the last bit set', rt(route('198.51.100.255/31') + route('198.51.100.254/31'))),
    ('ietf-rt', 'valid', 'route prefixes same address different lengths', rt(route('10.0.0.0/8') + route('10.0.0.0/16'))),
    ('ietf-rt', 'valid', 'host routes differing in the last bit', rt(route('192.0.2.1/32') + route('192.0.2.0/32'))),
    ('ietf-rt', 'location', 'bad next-hop address in a route keyed with host bits', rt(route('10.1.2.3/8', '192.0.2.300'))),
    ('ietf-rt', 'location', 'unknown element in a route keyed with host bits', rt(route('172.16.5.4/12', extra='<bogus>1</bogus>'))),
    ('ietf-rt', 'value', 'route prefix length out of range', rt(route('10.0.0.0/33'))),
    ('ietf-rt', 'value', 'route prefix with a leading-zero length', rt(route('10.0.0.0/08'))),
    # ietf-sys: ip-address and host unions canonicalize through their members.
    ('ietf-sys', 'value', 'dns server address with a zero-padded embedded octet', ipaddr('::01.2.3.4')),
    ('ietf-sys', 'value', 'ntp server host with a zero-padded embedded octet', host('::01.2.3.4')),
    ('ietf-sys', 'valid', 'dns server ipv6 address with a zone in uppercase', ipaddr('FE80::1%Eth0')),
    ('ietf-sys', 'valid', 'ntp server host as a mixed-case domain name', host('Ntp.Example.COM')),
    ('ietf-sys', 'valid', 'ntp server host dotted quad with a leading zero is a domain name', host('1.2.3.04')),
    ('ietf-sys', 'duplicate', 'ntp servers with the same name but addresses spelled differently', SYS % (
        '<ntp><server><name>a</name><udp><address>2001:DB8::1</address></udp></server>'
        '<server><name>a</name><udp><address>2001:db8::1</address></udp></server></ntp>')),
    # oc-if: openconfig-inet-types addresses are plain strings, kept as written.
    ('oc-if', 'valid', 'openconfig ipv6 address keys differing in letter case', oc6(('2001:DB8::1', '2001:DB8::1'), ('2001:db8::1', '2001:db8::1'))),
    ('oc-if', 'leafref', 'openconfig address key and config ip differing in letter case', oc6(('2001:DB8::1', '2001:db8::1'))),
    ('oc-if', 'valid', 'openconfig address keys full and compressed', oc6(('2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:1'), ('2001:db8::1', '2001:db8::1'))),
]

write_corpus('validation-canon', CASES)
