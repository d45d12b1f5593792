"""Shared pieces of the corpus generators (scripts/mkcorpus*.py): the module sets of
../shared/conformance/validation/README.md with yanglint's arguments, document fragments over them,
and write_corpus, which writes a corpus directory (cases/*.xml wrapped in a NETCONF <config>, and
cases.tsv with the verdict and first error yanglint gives each case, wrapper stripped)."""
import os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# module set -> (search dirs, implemented modules, -i), relative to shared/yang
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

# Document fragments.
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

# Fragments of the types and canon generators.
TY = OCT
def iface2(body, name='eth0'):
    return '<interface><name>%s</name>%s%s</interface>' % (name, TY, body)
RTS = '<routing xmlns="urn:ietf:params:xml:ns:yang:ietf-routing"><control-plane-protocols><control-plane-protocol>%s</control-plane-protocol></control-plane-protocols></routing>'
RTT = '<type xmlns:rt="urn:ietf:params:xml:ns:yang:ietf-routing">rt:static</type>'
def cpp(body):
    return ifs(iface('')) + RTS % body
NACMNS = 'xmlns:n="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"'
def npath(v, decl=NACMNS):
    return rule('<path %s>%s</path><action>permit</action>' % (decl, v))
def v4(ip):
    return ifs(iface('<ipv4 xmlns="%s"><address><ip>%s</ip><prefix-length>24</prefix-length></address></ipv4>' % (IP, ip)))
def v6(ip):
    return ifs(iface('<ipv6 xmlns="%s"><address><ip>%s</ip><prefix-length>64</prefix-length></address></ipv6>' % (IP, ip)))
def host(a):
    return SYS % ('<ntp><server><name>n</name><udp><address>%s</address></udp></server></ntp>' % a)
def ipaddr(a):
    return SYS % ('<dns-resolver><server><name>d</name><udp-and-tcp><address>%s</address></udp-and-tcp></server></dns-resolver>' % a)


def write_corpus(outdir, cases):
    """Writes corpus internal/cli/testdata/OUTDIR from cases, each (module set, category,
    description, body); sys.argv[1], when given, is the shared directory."""
    out = os.path.join(HERE, '..', 'internal', 'cli', 'testdata', outdir)
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'shared')
    y = os.path.join(shared, 'yang')
    os.makedirs(os.path.join(out, 'cases'), exist_ok=True)
    for f in os.listdir(os.path.join(out, 'cases')):
        os.remove(os.path.join(out, 'cases', f))
    rows = ['case\tmodule_set\texpected\tcategory\tdescription\tyanglint_first_error']
    for i, (st, cat, desc, body) in enumerate(cases, 1):
        name = '%03d-%s.xml' % (i, re.sub(r'[^a-z0-9]+', '-', desc.lower()).strip('-')[:48])
        doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- %s | set=%s -->\n'
               '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">%s</config>\n' % (desc, st, body))
        with open(os.path.join(out, 'cases', name), 'w') as f:
            f.write(doc)
        paths, files, impl = SETS[st]
        with tempfile.NamedTemporaryFile('w', suffix='.xml', delete=False) as t:
            t.write(body)
        args = ['yanglint', '-t', 'config'] + sum([['-p', os.path.join(y, p)] for p in paths], []) + \
               (['-i'] if impl else []) + [os.path.join(y, x) for x in files] + [t.name]
        r = subprocess.run(args, capture_output=True, text=True)
        os.unlink(t.name)
        first = next((l for l in r.stderr.splitlines() if l.startswith('libyang err')), '')
        verdict = 'valid' if r.returncode == 0 else 'invalid'
        if r.returncode != 0 and not first:
            sys.exit('%s: yanglint failed without an error line:\n%s' % (name, r.stderr))
        rows.append('\t'.join([name, st, verdict, cat, desc, first]))
        print(verdict.ljust(8), name, first[:150])
    with open(os.path.join(out, 'cases.tsv'), 'w') as f:
        f.write('\n'.join(rows) + '\n')
