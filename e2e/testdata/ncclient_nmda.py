#!/usr/bin/python3
# NMDA (RFC 8526) with Debian's ncclient against `ncws serve --ssh-listen`: ncclient has no
# get-data or edit-data of its own, so the requests go through its generic dispatch, as a user
# of ncclient would send them. One line per step for e2e/nmda_test.go to compare. Usage:
#   ncclient_nmda.py HOST PORT LIBRARY_FILE   (NCWS_USER, NCWS_PASSWORD in the environment)
# LIBRARY_FILE receives the children of get-data's <data> for /yang-library and /modules-state
# (with origins), which the test hands to yanglint.
import os
import sys

from lxml import etree
from ncclient import manager
from ncclient.operations import RPCError
from ncclient.xml_ import to_ele

host, port, library_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
NMDA = "urn:ietf:params:xml:ns:yang:ietf-netconf-nmda"
DS = "urn:ietf:params:xml:ns:yang:ietf-datastores"
OR = "urn:ietf:params:xml:ns:yang:ietf-origin"
EX = "urn:ncws:yang:ncws-example"
YL = "urn:ietf:params:xml:ns:yang:ietf-yang-library"


def get_data(m, ds, params=""):
    rpc = '<get-data xmlns="%s" xmlns:ds="%s"><datastore>ds:%s</datastore>%s</get-data>' % (NMDA, DS, ds, params)
    reply = m.dispatch(to_ele(rpc))
    return etree.fromstring(reply.xml.encode()).find("{%s}data" % NMDA)


def edit_data(m, ds, config, params=""):
    rpc = ('<edit-data xmlns="%s" xmlns:ds="%s"><datastore>ds:%s</datastore>%s<config>%s</config></edit-data>'
           % (NMDA, DS, ds, params, config))
    return m.dispatch(to_ele(rpc))


def origin(el):
    return el.get("{%s}origin" % OR)


with manager.connect(host=host, port=port, username=os.environ["NCWS_USER"],
                     password=os.environ["NCWS_PASSWORD"], hostkey_verify=False,
                     allow_agent=False, look_for_keys=False, timeout=30) as m:
    caps = list(m.server_capabilities)
    for prefix in ("urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id=",
                   "urn:ietf:params:netconf:capability:yang-library:1.0?revision=2019-01-04&module-set-id=",
                   "urn:ietf:params:netconf:capability:with-operational-defaults:1.0?"):
        print("capability %s %s" % (prefix.split("?")[0], any(c.startswith(prefix) for c in caps)))

    cfg = ('<interfaces xmlns="%s" xmlns:ex="%s"><interface><name>eth9</name><description>nmda</description>'
           '<type>ex:ethernet</type></interface></interfaces>' % (EX, EX))
    print("edit-data running ok %s" % edit_data(m, "running", cfg).ok)

    d = get_data(m, "running", '<subtree-filter><interfaces xmlns="%s"/></subtree-filter>' % EX)
    names = [n.text for n in d.iter("{%s}name" % EX)]
    print("running interfaces %s" % ",".join(names))

    d = get_data(m, "operational", '<with-origin/><subtree-filter><interfaces xmlns="%s"><interface>'
                 '<name>eth9</name></interface></interfaces></subtree-filter>' % EX)
    ifs = d.find("{%s}interfaces" % EX)
    eth9 = ifs.find("{%s}interface" % EX)
    print("operational interfaces origin %s" % origin(ifs))
    print("operational eth9 description %s" % eth9.findtext("{%s}description" % EX))
    oper = eth9.find("{%s}oper-status" % EX)
    stats = eth9.find("{%s}statistics" % EX)
    print("operational eth9 oper-status origin %s statistics origin %s" % (
        origin(oper) if oper is not None else None, origin(stats) if stats is not None else None))

    d = get_data(m, "operational", '<config-filter>false</config-filter><with-origin/><xpath-filter xmlns:ex="%s">'
                 '/ex:system</xpath-filter>' % EX)
    system = d.find("{%s}system" % EX)
    uptime = system.find("{%s}uptime" % EX) if system is not None else None
    print("operational system state only %s uptime origin %s" % (
        uptime is not None and system.find("{%s}hostname" % EX) is None, origin(uptime)))

    d = get_data(m, "running", '<max-depth>1</max-depth>')
    print("running max-depth 1 %s" % ",".join(sorted(etree.QName(c).localname + ("/" if len(c) == 0 else "+")
                                                      for c in d)))

    try:
        get_data(m, "candidate", "<with-origin/>")
        print("with-origin on candidate accepted")
    except RPCError as e:
        print("with-origin on candidate error-tag=%s" % e.tag)
    try:
        edit_data(m, "operational", cfg)
        print("edit-data operational accepted")
    except RPCError as e:
        print("edit-data operational error-tag=%s" % e.tag)

    d = get_data(m, "operational", '<with-origin/><subtree-filter><yang-library xmlns="%s"/>'
                 '<modules-state xmlns="%s"/></subtree-filter>' % (YL, YL))
    # lxml writes each child with the namespace declarations it uses (the or prefix too).
    parts = [etree.tostring(c).decode() for c in d]
    with open(library_file, "w") as f:
        f.write("\n".join(parts))
    cid = d.findtext("{%s}yang-library/{%s}content-id" % (YL, YL))
    print("content-id announced %s" % any(c.endswith("content-id=" + cid) for c in caps))
    print("closed")
