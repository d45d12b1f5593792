#!/usr/bin/python3
"""Writes ncws's own validation corpus (internal/cli/testdata/validation): small <config> documents
over the shared module sets, with the verdict yanglint gives each one, recorded in cases.tsv.
The conformance test re-runs yanglint live and requires it to agree with every recorded verdict.
Usage: scripts/mkcorpus.py [SHARED_DIR]"""
import os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'internal', 'cli', 'testdata', 'validation')
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'shared')
Y = os.path.join(SHARED, 'yang')
SETS = {
    'types': (['test'], ['test/oracle-types.yang'], False),
    'cons': (['test'], ['test/oracle-constraints.yang'], False),
    'ietf-if': (['ietf'], ['ietf/ietf-interfaces@2014-05-08.yang', 'ietf/iana-if-type@2014-05-08.yang'], False),
    'ietf-ip': (['ietf'], ['ietf/ietf-interfaces@2014-05-08.yang', 'ietf/iana-if-type@2014-05-08.yang',
                           'ietf/ietf-ip@2014-06-16.yang'], False),
    'ietf-rt': (['ietf'], ['ietf/ietf-interfaces@2014-05-08.yang', 'ietf/iana-if-type@2014-05-08.yang',
                           'ietf/ietf-routing@2016-11-04.yang', 'ietf/ietf-ipv4-unicast-routing@2016-11-04.yang'], False),
    'ietf-sys': (['ietf'], ['ietf/ietf-system@2014-08-06.yang'], False),
    'ietf-nacm': (['ietf'], ['ietf/ietf-netconf-acm@2018-02-14.yang'], False),
    'oc-if': (['openconfig'], ['openconfig/release/models/interfaces/openconfig-interfaces.yang',
                               'openconfig/release/models/interfaces/openconfig-if-ip.yang',
                               'openconfig/release/models/interfaces/openconfig-if-ethernet.yang',
                               'openconfig/third_party/ietf/iana-if-type.yang'], True),
}
T = '<types xmlns="urn:example:oracle-types">%s</types>'
C = '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><name>a</name></server>%s</top>'
IFNS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces'
IANA = 'xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type"'
def iface(body, name='eth0', typ='ianaift:ethernetCsmacd'):
    return '<interface><name>%s</name><type %s>%s</type>%s</interface>' % (name, IANA, typ, body)
def ifs(*items):
    return '<interfaces xmlns="%s">%s</interfaces>' % (IFNS, ''.join(items))
IP = 'urn:ietf:params:xml:ns:yang:ietf-ip'
def rt(route, ifaces=None):
    return (ifs(iface('')) if ifaces is None else ifaces) + (
        '<routing xmlns="urn:ietf:params:xml:ns:yang:ietf-routing"><control-plane-protocols>'
        '<control-plane-protocol><type xmlns:rt="urn:ietf:params:xml:ns:yang:ietf-routing">rt:static</type>'
        '<name>st</name><static-routes><ipv4 xmlns="urn:ietf:params:xml:ns:yang:ietf-ipv4-unicast-routing">'
        '%s</ipv4></static-routes></control-plane-protocol></control-plane-protocols></routing>' % route)
SYS = '<system xmlns="urn:ietf:params:xml:ns:yang:ietf-system">%s</system>'
NACM = '<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm">%s</nacm>'
def rule(body):
    return NACM % ('<rule-list><name>rl</name><group>g</group><rule><name>r1</name>%s</rule></rule-list>' % body)
OC = 'http://openconfig.net/yang/interfaces'
def ocif(name, cfg, extra=''):
    return ('<interfaces xmlns="%s"><interface><name>%s</name><config>%s</config>%s</interface></interfaces>'
            % (OC, name, cfg, extra))
OCT = '<type %s>ianaift:ethernetCsmacd</type>' % IANA

CASES = [
    # set, description, body
    ('types', 'uint8 between the two range parts', T % '<u8r>15</u8r>'),
    ('types', 'uint8 with a plus sign', T % '<u8r>+5</u8r>'),
    ('types', 'uint8 in hexadecimal', T % '<u8r>0x5</u8r>'),
    ('types', 'uint8 negative zero', T % '<u8r>-0</u8r>'),
    ('types', 'int16 one past the maximum', T % '<i16>32768</i16>'),
    ('types', 'int64 one below the minimum', T % '<i64>-9223372036854775809</i64>'),
    ('types', 'int64 empty value', T % '<i64></i64>'),
    ('types', 'string of six characters, length 2..5', T % '<strlen>abcdef</strlen>'),
    ('types', 'multibyte string counted in characters', T % '<strlen>\u00e9\u00e9\u00e9\u00e9\u00e9</strlen>'),
    ('types', 'pattern needs two digits', T % '<strpat>ab1</strpat>'),
    ('types', 'invert-match pattern matched', T % '<strinv>xyz</strinv>'),
    ('types', 'enum given by its value', T % '<en>5</en>'),
    ('types', 'enum case differs', T % '<en>Green</en>'),
    ('types', 'union: no member accepts 10', T % '<un>10</un>'),
    ('types', 'union enum member', T % '<un>auto</un>'),
    ('types', 'identityref in the default namespace, no prefix', T % '<idr>tcp</idr>'),
    ('types', 'identityref to an identity of another base', T % '<idr xmlns:ot="urn:example:oracle-types">ot:red</idr>'),
    ('types', 'identityref derived two levels down', T % '<idr xmlns:o="urn:example:oracle-types">o:quic</idr>'),
    ('types', 'identityref unknown identity', T % '<idr xmlns:ot="urn:example:oracle-types">ot:sctp</idr>'),
    ('types', 'bits twice the same bit', T % '<bts>read read</bts>'),
    ('types', 'bits empty set', T % '<bts></bts>'),
    ('types', 'bits out of position order', T % '<bts>exec write read</bts>'),
    ('types', 'decimal64 above the range', T % '<dec>10.01</dec>'),
    ('types', 'decimal64 at the range minimum', T % '<dec>-10.00</dec>'),
    ('types', 'decimal64 with a trailing dot', T % '<dec>1.</dec>'),
    ('types', 'decimal64 with a leading dot', T % '<dec>.5</dec>'),
    ('types', 'boolean written as 1', T % '<bool>1</bool>'),
    ('types', 'boolean in capitals', T % '<bool>TRUE</bool>'),
    ('types', 'binary of exactly four octets', T % '<bin>AQIDBA==</bin>'),
    ('types', 'binary that is not base64', T % '<bin>not*base64</bin>'),
    ('types', 'binary empty, length 1..4', T % '<bin></bin>'),
    ('types', 'typedef range 0..100 exceeded', T % '<pct>101</pct>'),
    ('types', 'leaf-list duplicate values in config', T % '<ll>a</ll><ll>a</ll>'),
    ('types', 'element from an unknown namespace', T % '<x xmlns="urn:example:nowhere">1</x>'),
    ('types', 'character reference in a string', T % '<strlen>a&#98;c</strlen>'),
    ('types', 'CDATA section in a pattern leaf', T % '<strpat><![CDATA[abc12]]></strpat>'),
    ('cons', 'only the other container: presence container absent', '<misc xmlns="urn:example:oracle-constraints"><note>x</note></misc>'),
    ('cons', 'presence container without its mandatory leaf', '<top xmlns="urn:example:oracle-constraints"><server><name>a</name></server></top>'),
    ('cons', 'four servers, max-elements 3', '<top xmlns="urn:example:oracle-constraints"><name>n</name>' + ''.join('<server><name>%s</name></server>' % c for c in 'abcd') + '</top>'),
    ('cons', 'unique ip/port with explicit equal ports', '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><name>a</name><ip>1.1.1.1</ip><port>22</port></server><server><name>b</name><ip>1.1.1.1</ip><port>22</port></server></top>'),
    ('cons', 'unique: explicit default value equals implicit default', '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><name>a</name><ip>1.1.1.1</ip><port>830</port></server><server><name>b</name><ip>1.1.1.1</ip></server></top>'),
    ('cons', 'leafref to an existing server', C % '<primary>a</primary>'),
    ('cons', 'leafref without require-instance to a missing server', C % '<backup>zz</backup>'),
    ('cons', 'must at its boundary', '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><name>a</name><weight>100</weight></server></top>'),
    ('cons', 'must satisfied through the other leaf', C % '<mtu>1000</mtu><allow-small>true</allow-small>'),
    ('cons', 'when satisfied by an explicit value', C % '<mode>advanced</mode><ext><knob>k</knob></ext>'),
    ('cons', 'when false with explicit basic mode', C % '<mode>basic</mode><ext/>'),
    ('cons', 'one case of the choice with two leaves', C % '<ssh-port>22</ssh-port><ssh-key>k</ssh-key>'),
    ('cons', 'config false container in config', C % '<stats><uptime>5</uptime></stats>'),
    ('cons', 'list entry without its key', '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><ip>1.1.1.1</ip></server></top>'),
    ('cons', 'leaf-list of three, max-elements 2', C % '<tag>a</tag><tag>b</tag><tag>c</tag>'),
    ('cons', 'two violations: must and leafref', '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><name>a</name><weight>200</weight></server><primary>q</primary></top>'),
    ('cons', 'keys after other leaves in the entry', '<top xmlns="urn:example:oracle-constraints"><name>n</name><server><ip>1.1.1.1</ip><name>a</name></server></top>'),
    ('cons', 'empty presence container at top without children', '<top xmlns="urn:example:oracle-constraints"/>'),
    ('ietf-if', 'interface without its mandatory type', ifs('<interface><name>eth0</name></interface>')),
    ('ietf-if', 'boolean enabled written yes', ifs(iface('<enabled>yes</enabled>'))),
    ('ietf-if', 'trap enable with feature if-mib on', ifs(iface('<link-up-down-trap-enable>enabled</link-up-down-trap-enable>'))),
    ('ietf-if', 'identity from iana-if-type via another prefix', ifs('<interface><name>lo</name><type xmlns:x="urn:ietf:params:xml:ns:yang:iana-if-type">x:softwareLoopback</type></interface>')),
    ('ietf-if', 'type is the base identity iana-interface-type', ifs(iface('', typ='ianaift:iana-interface-type'))),
    ('ietf-if', 'unknown element inside an interface', ifs(iface('<speed>10</speed>'))),
    ('ietf-ip', 'ipv4 address with neither prefix-length nor netmask', ifs(iface('<ipv4 xmlns="%s"><address><ip>192.0.2.1</ip></address></ipv4>' % IP))),
    ('ietf-ip', 'ipv4 address with both prefix-length and netmask', ifs(iface('<ipv4 xmlns="%s"><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length><netmask>255.255.255.0</netmask></address></ipv4>' % IP))),
    ('ietf-ip', 'ipv4 address 300.1.1.1', ifs(iface('<ipv4 xmlns="%s"><address><ip>300.1.1.1</ip><prefix-length>24</prefix-length></address></ipv4>' % IP))),
    ('ietf-ip', 'ipv6 address with zone', ifs(iface('<ipv6 xmlns="%s"><address><ip>fe80::1%%eth0</ip><prefix-length>64</prefix-length></address></ipv6>' % IP))),
    ('ietf-ip', 'ipv6 address not an address', ifs(iface('<ipv6 xmlns="%s"><address><ip>2001:db8::g</ip><prefix-length>64</prefix-length></address></ipv6>' % IP))),
    ('ietf-ip', 'ipv4 and ipv6 with mtu values', ifs(iface('<ipv4 xmlns="%s"><mtu>1500</mtu></ipv4><ipv6 xmlns="%s"><mtu>1280</mtu><dup-addr-detect-transmits>0</dup-addr-detect-transmits></ipv6>' % (IP, IP)))),
    ('ietf-ip', 'ipv6 mtu below 1280', ifs(iface('<ipv6 xmlns="%s"><mtu>1279</mtu></ipv6>' % IP))),
    ('ietf-ip', 'ipv4 neighbor with a good MAC', ifs(iface('<ipv4 xmlns="%s"><neighbor><ip>192.0.2.9</ip><link-layer-address>00:11:22:33:44:55</link-layer-address></neighbor></ipv4>' % IP))),
    ('ietf-ip', 'two ipv4 addresses with the same ip', ifs(iface('<ipv4 xmlns="%s"><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length></address><address><ip>192.0.2.1</ip><prefix-length>25</prefix-length></address></ipv4>' % IP))),
    ('ietf-rt', 'static route to an existing interface', rt('<route><destination-prefix>0.0.0.0/0</destination-prefix><next-hop><outgoing-interface>eth0</outgoing-interface></next-hop></route>')),
    ('ietf-rt', 'static route with a next-hop address', rt('<route><destination-prefix>198.51.100.0/24</destination-prefix><next-hop><next-hop-address>192.0.2.1</next-hop-address></next-hop></route>')),
    ('ietf-rt', 'route destination prefix length 33', rt('<route><destination-prefix>10.0.0.0/33</destination-prefix><next-hop><special-next-hop>blackhole</special-next-hop></next-hop></route>')),
    ('ietf-rt', 'special next hop not an enum', rt('<route><destination-prefix>10.0.0.0/8</destination-prefix><next-hop><special-next-hop>drop</special-next-hop></next-hop></route>')),
    ('ietf-rt', 'next-hop-list case', rt('<route><destination-prefix>10.0.0.0/8</destination-prefix><next-hop><next-hop-list><next-hop><index>1</index><next-hop-address>192.0.2.1</next-hop-address></next-hop></next-hop-list></next-hop></route>')),
    ('ietf-sys', 'ntp server over udp', SYS % '<ntp><server><name>ntp1</name><udp><address>192.0.2.1</address></udp></server></ntp>'),
    ('ietf-sys', 'ntp udp address that is no host', SYS % '<ntp><server><name>ntp1</name><udp><address>-bad-</address></udp></server></ntp>'),
    ('ietf-sys', 'dns resolver with a search domain', SYS % '<dns-resolver><search>example.com</search><server><name>d1</name><udp-and-tcp><address>192.0.2.53</address></udp-and-tcp></server></dns-resolver>'),
    ('ietf-sys', 'timezone name and utc offset together', SYS % '<clock><timezone-name>Europe/Paris</timezone-name><timezone-utc-offset>60</timezone-utc-offset></clock>'),
    ('ietf-sys', 'user password not a crypt hash', SYS % '<authentication><user><name>bob</name><password>plain</password></user></authentication>'),
    ('ietf-sys', 'authentication order with a local-users identity', SYS % '<authentication><user-authentication-order xmlns:sys="urn:ietf:params:xml:ns:yang:ietf-system">sys:local-users</user-authentication-order></authentication>'),
    ('ietf-sys', 'radius server missing its udp address', SYS % '<radius><server><name>r1</name><udp><shared-secret>s</shared-secret></udp></server></radius>'),
    ('ietf-nacm', 'rule with an unknown access operation', rule('<access-operations>fly</access-operations><action>permit</action>')),
    ('ietf-nacm', 'rule for an rpc name', rule('<module-name>ietf-system</module-name><rpc-name>system-restart</rpc-name><action>deny</action>')),
    ('ietf-nacm', 'rule with rpc-name and path from two cases', rule('<rpc-name>x</rpc-name><path>/</path><action>deny</action>')),
    ('ietf-nacm', 'action not permit or deny', rule('<action>allow</action>')),
    ('ietf-nacm', 'global defaults and a group', NACM % '<enable-nacm>true</enable-nacm><read-default>deny</read-default><groups><group><name>g</name><user-name>bob</user-name></group></groups>'),
    ('oc-if', 'config name differs from the key', ocif('eth0', '<name>eth1</name>' + OCT)),
    ('oc-if', 'ethernet port speed unknown identity', ocif('eth0', '<name>eth0</name>' + OCT, '<ethernet xmlns="http://openconfig.net/yang/interfaces/ethernet"><config><port-speed xmlns:oc-eth="http://openconfig.net/yang/interfaces/ethernet">oc-eth:SPEED_7GB</port-speed></config></ethernet>')),
    ('oc-if', 'mac address with bad pattern', ocif('eth0', '<name>eth0</name>' + OCT, '<ethernet xmlns="http://openconfig.net/yang/interfaces/ethernet"><config><mac-address>00:11:22:33:44</mac-address></config></ethernet>')),
    ('oc-if', 'subinterface index differs from its config', ocif('eth0', '<name>eth0</name>' + OCT, '<subinterfaces><subinterface><index>0</index><config><index>1</index></config></subinterface></subinterfaces>')),
    ('oc-if', 'state container in config', ocif('eth0', '<name>eth0</name>' + OCT, '<state><name>eth0</name></state>')),
    ('oc-if', 'hold-time config', ocif('eth0', '<name>eth0</name>' + OCT, '<hold-time><config><up>10</up><down>20</down></config></hold-time>')),
]

def bare(doc):
    return doc

def main():
    os.makedirs(os.path.join(OUT, 'cases'), exist_ok=True)
    for f in os.listdir(os.path.join(OUT, 'cases')):
        os.remove(os.path.join(OUT, 'cases', f))
    rows = ['case\tmodule_set\texpected\tcategory\tdescription\tyanglint_first_error']
    for i, (st, desc, body) in enumerate(CASES, 1):
        name = '%03d-%s.xml' % (i, re.sub(r'[^a-z0-9]+', '-', desc.lower()).strip('-')[:48])
        doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- %s | set=%s -->\n'
               '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">%s</config>\n' % (desc, st, body))
        with open(os.path.join(OUT, 'cases', name), 'w') as f:
            f.write(doc)
        paths, files, impl = SETS[st]
        with tempfile.NamedTemporaryFile('w', suffix='.xml', delete=False) as t:
            t.write(body)
        args = ['yanglint', '-t', 'config'] + sum([['-p', os.path.join(Y, p)] for p in paths], []) + \
               (['-i'] if impl else []) + [os.path.join(Y, x) for x in files] + [t.name]
        r = subprocess.run(args, capture_output=True, text=True)
        os.unlink(t.name)
        first = next((l for l in r.stderr.splitlines() if l.startswith('libyang err')), '')
        verdict = 'valid' if r.returncode == 0 else 'invalid'
        if r.returncode != 0 and not first:
            sys.exit('%s: yanglint failed without an error line:\n%s' % (name, r.stderr))
        rows.append('\t'.join([name, st, verdict, 'own', desc, first]))
        print(verdict.ljust(8), name, first[:150])
    with open(os.path.join(OUT, 'cases.tsv'), 'w') as f:
        f.write('\n'.join(rows) + '\n')

main()
