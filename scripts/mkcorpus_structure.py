#!/usr/bin/python3
"""Writes the structural-validation corpus (internal/cli/testdata/validation-structure): small
<config> documents over the shared module sets that exercise RFC 7950 section 8 rules after parsing
(mandatory nodes and choices at several depths, presence and non-presence containers, min/max-elements,
unique, leafrefs with predicates and absolute paths, when with defaults, must, several errors in one
document, error-path details), with the verdict yanglint gives each one, recorded in cases.tsv. They
were picked from a differential run of a few thousand generated documents against yanglint.
The conformance test re-runs yanglint live and requires it to agree with every recorded verdict.
Usage: scripts/mkcorpus_structure.py [SHARED_DIR]"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpuslib import write_corpus  # noqa: E402

IANA = 'xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type"'
IFNS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces'
IP = 'urn:ietf:params:xml:ns:yang:ietf-ip'
RTNS = 'urn:ietf:params:xml:ns:yang:ietf-routing'
V4 = 'urn:ietf:params:xml:ns:yang:ietf-ipv4-unicast-routing'
SYSNS = 'urn:ietf:params:xml:ns:yang:ietf-system'
NACMNS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-acm'
OC = 'http://openconfig.net/yang/interfaces'
OCIP = 'http://openconfig.net/yang/interfaces/ip'
OCETH = 'http://openconfig.net/yang/interfaces/ethernet'

def iface(body='', name='eth0', typ='ianaift:ethernetCsmacd'):
    t = '' if typ is None else '<type %s>%s</type>' % (IANA, typ)
    return '<interface><name>%s</name>%s%s</interface>' % (name, t, body)
def ifs(*items):
    return '<interfaces xmlns="%s">%s</interfaces>' % (IFNS, ''.join(items))
def v4(b): return '<ipv4 xmlns="%s">%s</ipv4>' % (IP, b)
def v6(b): return '<ipv6 xmlns="%s">%s</ipv6>' % (IP, b)

def cpp(body, typ='rt:static', name='st', extra_ns=''):
    return ('<control-plane-protocol><type xmlns:rt="%s"%s>%s</type><name>%s</name>%s</control-plane-protocol>'
            % (RTNS, extra_ns, typ, name, body))
def routing(inner):
    return '<routing xmlns="%s">%s</routing>' % (RTNS, inner)
def cpps(*c): return '<control-plane-protocols>%s</control-plane-protocols>' % ''.join(c)
def sr(routes): return '<static-routes><ipv4 xmlns="%s">%s</ipv4></static-routes>' % (V4, routes)
def route(pfx, nh): return '<route><destination-prefix>%s</destination-prefix>%s</route>' % (pfx, nh)
def rt(routes, ifaces=None):
    return (ifs(iface()) if ifaces is None else ifaces) + routing(cpps(cpp(sr(routes))))

def SYS(b): return '<system xmlns="%s">%s</system>' % (SYSNS, b)
def NACM(b): return '<nacm xmlns="%s">%s</nacm>' % (NACMNS, b)
def rl(rules, name='rl', groups='<group>g</group>'):
    return '<rule-list><name>%s</name>%s%s</rule-list>' % (name, groups, rules)
def rule(body, name='r1'): return '<rule><name>%s</name>%s</rule>' % (name, body)

OCT = '<type %s>ianaift:ethernetCsmacd</type>' % IANA
def ocifc(name='eth0', cfg=None, extra='', typ=OCT):
    if cfg is None:
        cfg = '<name>%s</name>%s' % (name, typ)
    return '<interface><name>%s</name><config>%s</config>%s</interface>' % (name, cfg, extra)
def ocifs(*items): return '<interfaces xmlns="%s">%s</interfaces>' % (OC, ''.join(items))
def subif(idx, extra='', cfg=None):
    c = '<index>%s</index>' % idx if cfg is None else cfg
    return '<subinterface><index>%s</index><config>%s</config>%s</subinterface>' % (idx, c, extra)
def subs(*s): return '<subinterfaces>%s</subinterfaces>' % ''.join(s)
def ocv4(b): return '<ipv4 xmlns="%s">%s</ipv4>' % (OCIP, b)
def ocv6(b): return '<ipv6 xmlns="%s">%s</ipv6>' % (OCIP, b)
def ocaddr(ip, plen='24', extra='', key=None):
    return '<address><ip>%s</ip><config><ip>%s</ip>%s</config>%s</address>' % (
        key or ip, ip, '' if plen is None else '<prefix-length>%s</prefix-length>' % plen, extra)
def addrs(*a): return '<addresses>%s</addresses>' % ''.join(a)
def vrrp(vrid, cfg_extra='', extra='', key=None):
    return '<vrrp><vrrp-group><virtual-router-id>%s</virtual-router-id><config><virtual-router-id>%s</virtual-router-id>%s</config>%s</vrrp-group></vrrp>' % (key or vrid, vrid, cfg_extra, extra)
def eth(cfg): return '<ethernet xmlns="%s"><config>%s</config></ethernet>' % (OCETH, cfg)

def TOP(b): return '<top xmlns="urn:example:oracle-constraints">%s</top>' % b
SV = '<server><name>a</name></server>'
NH_ADDR = '<next-hop><next-hop-address>192.0.2.1</next-hop-address></next-hop>'

ACL = 'http://openconfig.net/yang/acl'
AX = 'xmlns:oc-acl="%s"' % ACL
def aset(name, typ, entries='', key_typ=None, cfg_typ=None, cfgname=None):
    kt = key_typ or typ
    ct = cfg_typ or typ
    return ('<acl-set><name>%s</name><type %s>%s</type><config><name>%s</name><type %s>%s</type></config>%s</acl-set>'
            % (name, AX, kt, cfgname or name, AX, ct, '<acl-entries>%s</acl-entries>' % entries if entries is not None else ''))
def entry(seq, body='', action='oc-acl:ACCEPT', cfgseq=None):
    act = '' if action is None else '<actions><config><forwarding-action %s>%s</forwarding-action></config></actions>' % (AX, action)
    return '<acl-entry><sequence-id>%s</sequence-id><config><sequence-id>%s</sequence-id></config>%s%s</acl-entry>' % (
        seq, cfgseq or seq, body, act)
def acl(sets='', ifaces=''):
    return '<acl xmlns="%s"><acl-sets>%s</acl-sets>%s</acl>' % (ACL, sets, ifaces)
V4M = '<ipv4><config><source-address>10.0.0.0/8</source-address></config></ipv4>'
V6M = '<ipv6><config><source-address>2001:db8::/32</source-address></config></ipv6>'
TR = '<transport><config><source-port>80</source-port></config></transport>'
def aif(id, body='', cfg=None):
    return '<interface><id>%s</id><config><id>%s</id></config>%s</interface>' % (id, cfg or id, body)
def ing(name, typ, cfgname=None, cfgtyp=None):
    return ('<ingress-acl-sets><ingress-acl-set><set-name>%s</set-name><type %s>%s</type><config><set-name>%s</set-name><type %s>%s</type></config></ingress-acl-set></ingress-acl-sets>'
            % (name, AX, typ, cfgname or name, AX, cfgtyp or typ))
IF0 = ocifs(ocifc('eth0', extra=subs(subif(0))))

def swv(cfg): return eth('') .replace('<config></config>', '<switched-vlan xmlns="http://openconfig.net/yang/vlan"><config>%s</config></switched-vlan>' % cfg)

CASES = []
def add(st, desc, body):
    CASES.append((st, desc, body))
S = N = I = P = R = O = K = a = add

S('ietf-sys', 'ntp server with no transport', SYS('<ntp><server><name>a</name></server></ntp>'))
S('ietf-sys', 'ntp server with empty udp', SYS('<ntp><server><name>a</name><udp/></server></ntp>'))
S('ietf-sys', 'ntp server udp port only', SYS('<ntp><server><name>a</name><udp><port>123</port></udp></server></ntp>'))
S('ietf-sys', 'ntp two servers second missing transport', SYS('<ntp><server><name>a</name><udp><address>1.2.3.4</address></udp></server><server><name>b</name><prefer>true</prefer></server></ntp>'))
S('ietf-sys', 'ntp two servers first missing udp address', SYS('<ntp><server><name>a</name><udp/></server><server><name>b</name></server></ntp>'))
S('ietf-sys', 'dns server empty udp-and-tcp', SYS('<dns-resolver><server><name>d</name><udp-and-tcp/></server></dns-resolver>'))
S('ietf-sys', 'radius udp missing shared secret', SYS('<radius><server><name>r</name><udp><address>1.1.1.1</address></udp></server></radius>'))
S('ietf-sys', 'radius udp missing both mandatory', SYS('<radius><server><name>r</name><udp/></server></radius>'))
S('ietf-sys', 'auth order radius without radius server', SYS('<authentication><user-authentication-order xmlns:sys="%s">sys:radius</user-authentication-order></authentication>' % SYSNS))
S('ietf-sys', 'auth order radius with radius server no transport', SYS('<authentication><user-authentication-order xmlns:sys="%s">sys:radius</user-authentication-order></authentication><radius><server><name>r</name></server></radius>' % SYSNS))
S('ietf-sys', 'ntp server missing transport and radius missing secret', SYS('<ntp><server><name>a</name></server></ntp><radius><server><name>r</name><udp><address>1.1.1.1</address></udp></server></radius>'))
S('ietf-sys', 'dns missing transport and ntp missing transport', SYS('<ntp><server><name>a</name></server></ntp><dns-resolver><server><name>d</name></server></dns-resolver>'))
S('ietf-sys', 'radius missing then auth key missing', SYS('<authentication><user><name>u</name><authorized-key><name>k</name></authorized-key></user></authentication><radius><server><name>r</name></server></radius>'))
N('ietf-nacm', 'rule with empty path case missing path', NACM(rl(rule('<action>permit</action>'))))
N('ietf-nacm', 'second rule missing action', NACM(rl(rule('<action>permit</action>') + rule('<rpc-name>x</rpc-name>', 'r2'))))
N('ietf-nacm', 'second rule-list rule missing action', NACM(rl(rule('<action>permit</action>')) + rl(rule('<notification-name>n</notification-name>'), 'rl2')))
N('ietf-nacm', 'notification and rpc case conflict', NACM(rl(rule('<notification-name>n</notification-name><rpc-name>x</rpc-name><action>deny</action>'))))
N('ietf-nacm', 'notification and path conflict missing action', NACM(rl(rule('<notification-name>n</notification-name><path>/</path>'))))
N('ietf-nacm', 'rule missing action then rule-list duplicate', NACM(rl(rule('<path>/</path>')) + rl(rule('<action>deny</action>'))))
I('ietf-if', 'interface without type and second too', ifs(iface(typ=None), iface(name='eth1', typ=None)))
I('ietf-if', 'second interface without type', ifs(iface(), iface(name='eth1', typ=None)))
I('ietf-if', 'interface name with apostrophe without type', ifs(iface(name="a'b", typ=None)))
I('ietf-if', 'duplicate interfaces missing type', ifs(iface(typ=None), iface(typ=None)))
P('ietf-ip', 'empty ipv4 presence', ifs(iface(v4(''))))
P('ietf-ip', 'ipv4 two addresses second without subnet', ifs(iface(v4('<address><ip>1.1.1.1</ip><prefix-length>24</prefix-length></address><address><ip>1.1.1.2</ip></address>'))))
P('ietf-ip', 'ipv4 neighbor missing link-layer', ifs(iface(v4('<neighbor><ip>1.1.1.9</ip></neighbor>'))))
P('ietf-ip', 'ipv4 address subnet missing and neighbor missing lla', ifs(iface(v4('<address><ip>1.1.1.1</ip></address><neighbor><ip>1.1.1.9</ip></neighbor>'))))
P('ietf-ip', 'ipv4 neighbor missing lla and address missing subnet (document order reversed)', ifs(iface(v4('<neighbor><ip>1.1.1.9</ip></neighbor><address><ip>1.1.1.1</ip></address>'))))
P('ietf-ip', 'ipv6 address missing prefix-length', ifs(iface(v6('<address><ip>2001:db8::1</ip></address>'))))
P('ietf-ip', 'ipv4 and ipv6 both missing mandatory', ifs(iface(v4('<address><ip>1.1.1.1</ip></address>') + v6('<address><ip>2001:db8::1</ip></address>'))))
P('ietf-ip', 'ipv4 in interface without type', ifs(iface(v4('<address><ip>1.1.1.1</ip></address>'), typ=None)))
R('ietf-rt', 'route without next-hop container', rt(route('10.0.0.0/8', '')))
R('ietf-rt', 'route with empty next-hop', rt(route('10.0.0.0/8', '<next-hop/>')))
R('ietf-rt', 'route with empty next-hop-list', rt(route('10.0.0.0/8', '<next-hop><next-hop-list/></next-hop>')))
R('ietf-rt', 'next-hop-list outgoing-interface missing target', rt(route('10.0.0.0/8', '<next-hop><next-hop-list><next-hop><index>1</index><outgoing-interface>eth9</outgoing-interface></next-hop></next-hop-list></next-hop>')))
R('ietf-rt', 'next-hop address and next-hop-list both', rt(route('10.0.0.0/8', '<next-hop><next-hop-address>1.1.1.1</next-hop-address><next-hop-list><next-hop><index>1</index></next-hop></next-hop-list></next-hop>')))
R('ietf-rt', 'next-hop special and empty next-hop-list', rt(route('10.0.0.0/8', '<next-hop><special-next-hop>blackhole</special-next-hop><next-hop-list/></next-hop>')))
R('ietf-rt', 'outgoing-interface to interface without type', rt(route('10.0.0.0/8', '<next-hop><outgoing-interface>eth0</outgoing-interface></next-hop>'), ifs(iface(typ=None))))
R('ietf-rt', 'two routes: first bad leafref second missing next-hop', rt(route('10.0.0.0/8', '<next-hop><outgoing-interface>nope</outgoing-interface></next-hop>') + route('10.1.0.0/16', '')))
R('ietf-rt', 'two routes: first missing next-hop second bad leafref', rt(route('10.0.0.0/8', '') + route('10.1.0.0/16', '<next-hop><outgoing-interface>nope</outgoing-interface></next-hop>')))
R('ietf-rt', 'static-routes under non-static protocol', routing(cpps(cpp(sr(route('10.0.0.0/8', NH_ADDR)), typ='rt:direct'))))
R('ietf-rt', 'cpp name with apostrophe route missing next-hop', routing(cpps(cpp(sr(route('10.0.0.0/8', '')), name="my'st"))))
R('ietf-rt', 'route next-hop-list two entries second bad leafref', rt(route('10.0.0.0/8', '<next-hop><next-hop-list><next-hop><index>1</index><outgoing-interface>eth0</outgoing-interface></next-hop><next-hop><index>2</index><outgoing-interface>eth7</outgoing-interface></next-hop></next-hop-list></next-hop>')))
R('ietf-rt', 'ribs rib and cpp both errors', routing(cpps(cpp(sr(route('10.0.0.0/8', '')))) + '<ribs><rib><description>x</description></rib></ribs>'))
R('ietf-rt', 'static-routes under direct with route missing next-hop', routing(cpps(cpp(sr(route('10.0.0.0/8', '')), typ='rt:direct'))))
R('ietf-rt', 'interface missing type and route bad leafref', rt(route('10.0.0.0/8', '<next-hop><outgoing-interface>x</outgoing-interface></next-hop>'), ifs(iface(typ=None))))
O('oc-if', 'interface config name only (type missing)', ocifs(ocifc(cfg='<name>eth0</name>')))
O('oc-if', 'two interfaces second missing type', ocifs(ocifc(), ocifc('eth1', cfg='<name>eth1</name>')))
O('oc-if', 'two subinterfaces second without config', ocifs(ocifc(extra=subs(subif(0), '<subinterface><index>1</index></subinterface>'))))
O('oc-if', 'subinterface ipv4 address no prefix-length', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', None))))))))
O('oc-if', 'subinterface ipv4 address config ip differs', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.2', key='10.0.0.1'))))))))
O('oc-if', 'ipv4 address config ip differs and no prefix', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.2', None, key='10.0.0.1'))))))))
O('oc-if', 'ipv4 neighbor missing lla', ocifs(ocifc(extra=subs(subif(0, ocv4('<neighbors><neighbor><ip>10.0.0.9</ip><config><ip>10.0.0.9</ip></config></neighbor></neighbors>'))))))
O('oc-if', 'vrrp group config id differs', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', extra=vrrp(2, key=1)))))))))
O('oc-if', 'vrrp track interface missing', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', extra=vrrp(1, '', '<interface-tracking><config><track-interface>eth9</track-interface></config></interface-tracking>')))))))))
O('oc-if', 'vrrp v6 virtual link local in v4', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', extra=vrrp(1, '<virtual-link-local>fe80::1</virtual-link-local>')))))))))
O('oc-if', 'ethernet on loopback type', ocifs(ocifc(typ='<type %s>ianaift:softwareLoopback</type>' % IANA, extra=eth('<auto-negotiate>true</auto-negotiate>'))))
O('oc-if', 'empty ethernet on loopback type', ocifs(ocifc(typ='<type %s>ianaift:softwareLoopback</type>' % IANA, extra='<ethernet xmlns="%s"/>' % OCETH)))
O('oc-if', 'ethernet on loopback in second interface', ocifs(ocifc(), ocifc('lo0', typ='<type %s>ianaift:softwareLoopback</type>' % IANA, extra=eth('<enable-flow-control>true</enable-flow-control>'))))
O('oc-if', 'hold-time with penalty config zero', ocifs(ocifc(extra='<hold-time><config><up>10</up></config></hold-time><penalty-based-aied><config><suppress-threshold>0</suppress-threshold></config></penalty-based-aied>')))
O('oc-if', 'hold-time with penalty two nonzero', ocifs(ocifc(extra='<hold-time><config><up>10</up></config></hold-time><penalty-based-aied><config><suppress-threshold>5</suppress-threshold><reuse-threshold>3</reuse-threshold></config></penalty-based-aied>')))
O('oc-if', 'two interfaces: first type missing, second key mismatch', ocifs(ocifc(cfg='<name>eth0</name>'), ocifc('eth1', cfg='<name>eth2</name>' + OCT)))
O('oc-if', 'ipv4 unnumbered subinterface missing', ocifs(ocifc(extra=subs(subif(0, ocv4('<unnumbered><interface-ref><config><interface>eth0</interface><subinterface>5</subinterface></config></interface-ref></unnumbered>'))))))
O('oc-if', 'ipv4 unnumbered subinterface of other interface', ocifs(ocifc(extra=subs(subif(0, ocv4('<unnumbered><interface-ref><config><interface>eth1</interface><subinterface>0</subinterface></config></interface-ref></unnumbered>')))), ocifc('eth1', extra=subs(subif(1)))))
O('oc-if', 'interface type missing and subif ipv4 address missing prefix', ocifs(ocifc(cfg='<name>eth0</name>', extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', None))))))))
O('oc-if', 'subif ipv4 address missing prefix then interface type missing second', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', None)))))), ocifc('eth1', cfg='<name>eth1</name>')))
O('oc-if', 'ethernet config on loopback and subif config index mismatch', ocifs(ocifc(typ='<type %s>ianaift:softwareLoopback</type>' % IANA, extra=eth('<mtu>1</mtu>') + subs(subif(0, cfg='<index>1</index>')))))
K('cons', 'top empty presence: name and server missing', TOP(''))
K('cons', 'top with name only: server min-elements', TOP('<name>n</name>'))
K('cons', 'server max-elements and unique both', TOP('<name>n</name>' + ''.join('<server><name>%s</name><ip>x</ip></server>' % c for c in 'abcd')))
K('cons', 'unique with three entries, third dup of first', TOP('<name>n</name><server><name>a</name><ip>x</ip></server><server><name>b</name><ip>y</ip></server><server><name>c</name><ip>x</ip></server>'))
K('cons', 'unique violation and weight must', TOP('<name>n</name><server><name>a</name><ip>x</ip><weight>200</weight></server><server><name>b</name><ip>x</ip></server>'))
K('cons', 'weight must on second server and name missing', TOP('<server><name>a</name></server><server><name>b</name><weight>101</weight></server>'))
K('cons', 'ext knob with mode basic and mtu bad', TOP('<name>n</name>' + SV + '<ext><knob>k</knob></ext><mtu>100</mtu>'))
K('cons', 'primary leafref missing and name missing', TOP(SV + '<primary>zz</primary>'))
K('cons', 'choice both cases and leafref bad', TOP('<name>n</name>' + SV + '<primary>q</primary><ssh-port>1</ssh-port><tls-port>2</tls-port>'))
K('cons', 'status state leaf and missing name', TOP(SV + '<status>x</status>'))
K('cons', 'unique ip dup where port default vs explicit other', TOP('<name>n</name><server><name>a</name><ip>x</ip></server><server><name>b</name><ip>x</ip><port>831</port></server>'))
K('cons', 'mode advanced ext empty', TOP('<name>n</name>' + SV + '<mode>advanced</mode><ext/>'))

a('oc-if', 'switched-vlan access with access-vlan', ocifs(ocifc(extra=swv('<interface-mode>ACCESS</interface-mode><access-vlan>10</access-vlan>'))))
a('oc-if', 'switched-vlan access with native-vlan', ocifs(ocifc(extra=swv('<interface-mode>ACCESS</interface-mode><native-vlan>10</native-vlan>'))))
a('oc-if', 'switched-vlan trunk with trunk-vlans', ocifs(ocifc(extra=swv('<interface-mode>TRUNK</interface-mode><trunk-vlans>10</trunk-vlans><trunk-vlans>20..30</trunk-vlans>'))))
a('oc-if', 'switched-vlan no mode with trunk-vlans', ocifs(ocifc(extra=swv('<trunk-vlans>10</trunk-vlans>'))))
a('oc-if', 'switched-vlan no mode with access-vlan', ocifs(ocifc(extra=swv('<access-vlan>10</access-vlan>'))))
a('oc-if', 'switched-vlan on loopback', ocifs(ocifc(typ='<type %s>ianaift:softwareLoopback</type>' % IANA, extra=swv('<interface-mode>ACCESS</interface-mode>'))))
a('oc-if', 'routed-vlan on ethernet', ocifs(ocifc(extra='<routed-vlan xmlns="http://openconfig.net/yang/vlan"><config><vlan>10</vlan></config></routed-vlan>')))
a('oc-if', 'routed-vlan on l3ipvlan', ocifs(ocifc(typ='<type %s>ianaift:l3ipvlan</type>' % IANA, extra='<routed-vlan xmlns="http://openconfig.net/yang/vlan"><config><vlan>10</vlan></config></routed-vlan>')))
a('oc-if', 'routed-vlan ipv4 address on l3ipvlan missing prefix', ocifs(ocifc(typ='<type %s>ianaift:l3ipvlan</type>' % IANA, extra='<routed-vlan xmlns="http://openconfig.net/yang/vlan"><ipv4 xmlns="%s">%s</ipv4></routed-vlan>' % (OCIP, addrs(ocaddr('10.0.0.1', None))))))
a('oc-if', 'subinterface vlan config', ocifs(ocifc(extra=subs(subif(0, '<vlan xmlns="http://openconfig.net/yang/vlan"><config><vlan-id>10</vlan-id></config></vlan>')))))
a('oc-if', 'interface tpid augment', ocifs(ocifc(cfg='<name>eth0</name>' + OCT + '<tpid xmlns="http://openconfig.net/yang/vlan" xmlns:oc-vlan-types="http://openconfig.net/yang/vlan-types">oc-vlan-types:TPID_0X8100</tpid>')))

a('oc-if', 'acl ipv4 set with ipv6 match', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, V6M))))
a('oc-if', 'acl ipv6 set with ipv4 match', acl(aset('a', 'oc-acl:ACL_IPV6', entry(10, V4M))))
a('oc-if', 'acl l2 set with transport', acl(aset('a', 'oc-acl:ACL_L2', entry(10, TR))))
a('oc-if', 'acl ipv4 set with transport', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, TR))))
a('oc-if', 'acl ipv4 set with l2 match', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, '<l2><config><ethertype>2048</ethertype></config></l2>'))))
a('oc-if', 'acl entry without actions', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, V4M, action=None))))
a('oc-if', 'acl entry with empty actions', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, V4M + '<actions/>', action=None))))
a('oc-if', 'acl entry with empty actions config', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, V4M + '<actions><config/></actions>', action=None))))
a('oc-if', 'acl entry seq mismatch', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, cfgseq=11))))
a('oc-if', 'acl set type key mismatch', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10), cfg_typ='oc-acl:ACL_IPV6')))
a('oc-if', 'acl set type other prefix ipv6 match', acl('<acl-set><name>a</name><type xmlns:x="%s">x:ACL_IPV4</type><config><name>a</name><type xmlns:y="%s">y:ACL_IPV4</type></config><acl-entries>%s</acl-entries></acl-set>' % (ACL, ACL, entry(10, V6M))))
a('oc-if', 'acl two entries second missing action', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, V4M) + entry(20, V4M, action=None))))
a('oc-if', 'acl ipv6 set ipv4 match and missing action', acl(aset('a', 'oc-acl:ACL_IPV6', entry(10, V4M, action=None))))
a('oc-if', 'acl ipv4 source prefix-set missing', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, '<ipv4><config><source-address-prefix-set>ps</source-address-prefix-set></config></ipv4>'))))
a('oc-if', 'acl input-interface ref bad sub', IF0 + acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, '<input-interface><interface-ref><config><interface>eth0</interface><subinterface>3</subinterface></config></interface-ref></input-interface>'))))
a('oc-if', 'acl interface ingress unknown set', IF0 + acl(aset('a', 'oc-acl:ACL_IPV4', entry(10)), '<interfaces>%s</interfaces>' % aif('i1', ing('b', 'oc-acl:ACL_IPV4'))))
a('oc-if', 'acl interface ingress wrong type', IF0 + acl(aset('a', 'oc-acl:ACL_IPV4', entry(10)), '<interfaces>%s</interfaces>' % aif('i1', ing('a', 'oc-acl:ACL_IPV6'))))
a('oc-if', 'acl interface ingress type of other set', IF0 + acl(aset('a', 'oc-acl:ACL_IPV4', entry(10)) + aset('b', 'oc-acl:ACL_IPV6', entry(10)), '<interfaces>%s</interfaces>' % aif('i1', ing('a', 'oc-acl:ACL_IPV6'))))
a('oc-if', 'acl interface ingress same name two types', IF0 + acl(aset('a', 'oc-acl:ACL_IPV4', entry(10)) + aset('a', 'oc-acl:ACL_IPV6', entry(10)), '<interfaces>%s</interfaces>' % aif('i1', ing('a', 'oc-acl:ACL_IPV6'))))
a('oc-if', 'acl interface ingress key mismatch', IF0 + acl(aset('a', 'oc-acl:ACL_IPV4', entry(10)), '<interfaces>%s</interfaces>' % aif('i1', ing('a', 'oc-acl:ACL_IPV4', cfgname='b'))))
a('oc-if', 'acl interface ref bad', IF0 + acl('', '<interfaces>%s</interfaces>' % aif('i1', '<interface-ref><config><interface>eth9</interface></config></interface-ref>')))
a('oc-if', 'acl entry mpls on ipv4 set', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, '<mpls><config><traffic-class>1</traffic-class></config></mpls>'))))
a('oc-if', 'acl ipv4 set ipv6 empty config', acl(aset('a', 'oc-acl:ACL_IPV4', entry(10, '<ipv6><config/></ipv6>'))))

# List keys with characters that need care in an instance-identifier predicate.
for i, k in [(0, ''), (1, 'a b'), (2, 'a]b'), (3, 'a/b'), (4, '&amp;x'), (5, '\u00fc'), (6, 'a\\b'), (7, '*')]:
    add('cons', 'server key special %d, must on weight fails' % i, TOP('<name>n</name><server><name>%s</name><weight>150</weight></server>' % k))
add('cons', 'leaf-list value with a space duplicated', TOP('<name>n</name><server><name>s</name></server><tag>a b</tag><tag>a b</tag>'))
add('cons', 'three tags, the third with a slash', TOP('<name>n</name><server><name>s</name></server><tag>x</tag><tag>y</tag><tag>a/b</tag>'))
add('ietf-if', 'interface with an empty name and no type', ifs(iface(name='', typ=None)))
add('ietf-rt', 'cpp type written with another prefix, bad outgoing-interface', routing(cpps('<control-plane-protocol><type xmlns:r="%s">r:static</type><name>st</name>%s</control-plane-protocol>' % (RTNS, sr(route('10.0.0.0/8', '<next-hop><outgoing-interface>zz</outgoing-interface></next-hop>'))))))
add('ietf-rt', 'direct protocol written with another prefix holding static-routes', routing(cpps('<control-plane-protocol><type xmlns:r="%s">r:direct</type><name>d</name><static-routes/></control-plane-protocol>' % RTNS)))
add('oc-if', 'subinterface key 01 and config index 1 (leafref compares values)', ocifs(ocifc(extra=subs(subif('01', cfg='<index>1</index>')))))
add('oc-if', 'vrrp-group key 01 and config id 1', ocifs(ocifc(extra=subs(subif(0, ocv4(addrs(ocaddr('10.0.0.1', extra=vrrp(1, key='01')))))))))
add('oc-if', 'ethernet when: type identity with surrounding spaces', ocifs(ocifc(typ='<type %s> ianaift:ethernetCsmacd </type>' % IANA, extra=eth('<auto-negotiate>true</auto-negotiate>'))))

# unique "ip port": yanglint reports the later entry of two, else the earlier entry of the clash.
def servers(ips):
    return ''.join('<server><name>%s</name>%s</server>' % (n, '' if ip == '-' else '<ip>%s</ip>' % ip)
                   for n, ip in zip('abc', ips))
for ips in ('xx', 'xxy', 'xyx', 'yxx', 'x-x', '-xx'):
    add('cons', 'unique over servers with ips %s' % ips, TOP('<name>n</name>' + servers(ips)))
add('cons', 'unique: three servers in reverse key order, first two clash', TOP('<name>n</name><server><name>c</name><ip>x</ip></server><server><name>a</name><ip>x</ip></server><server><name>b</name><ip>y</ip></server>'))

write_corpus('validation-structure', [(st, 'structure', desc, body) for st, desc, body in CASES])
