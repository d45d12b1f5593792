#!/usr/bin/python3
# A NETCONF over SSH session with Debian's ncclient against `ncws serve --ssh-listen`, printing one
# line per step for e2e/ncclient_test.go to compare. Usage:
#   ncclient_steps.py password HOST PORT     (NCWS_USER, NCWS_PASSWORD in the environment)
#   ncclient_steps.py key HOST PORT KEYFILE  (NCWS_USER)
import os
import sys

from ncclient import manager
from ncclient.operations import RPCError

NS = "urn:ncws:yang:ncws-example"
mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
user = os.environ["NCWS_USER"]
kw = dict(host=host, port=port, username=user, hostkey_verify=False, allow_agent=False,
          look_for_keys=False, timeout=30)
if mode == "password":
    kw["password"] = os.environ["NCWS_PASSWORD"]
else:
    kw["key_filename"] = sys.argv[4]

with manager.connect(**kw) as m:
    caps = set(m.server_capabilities)
    print("connected session-id=%s" % m.session_id)
    for c in ("urn:ietf:params:netconf:base:1.1", "urn:ietf:params:netconf:capability:candidate:1.0",
              "urn:ietf:params:netconf:capability:notification:1.0"):
        print("capability %s %s" % (c, c in caps))
    if mode == "key":
        r = m.get_config(source="running")
        print("get-config ok %s" % r.ok)
        sys.exit(0)

    r = m.get_config(source="running")
    print("get-config ok %s" % r.ok)

    m.create_subscription()
    print("subscribed")

    m.lock(target="candidate")
    print("locked candidate")
    cfg = """<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
      <interfaces xmlns="%s" xmlns:ex="%s">
        <interface><name>eth7</name><type>ex:ethernet</type><mtu>1500</mtu></interface>
      </interfaces></config>""" % (NS, NS)
    print("edit-config ok %s" % m.edit_config(target="candidate", config=cfg).ok)

    bad = """<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
      <interfaces xmlns="%s"><interface><name>eth7</name><mtu>20</mtu></interface></interfaces></config>""" % NS
    try:
        m.edit_config(target="candidate", config=bad)
        print("invalid edit accepted")
    except RPCError as e:
        print("invalid edit error-tag=%s error-path=%s" % (e.tag, (e.path or "").strip()))

    r = m.commit(confirmed=True, timeout="120")
    print("confirmed commit ok %s" % r.ok)
    r = m.commit()
    print("confirming commit ok %s" % r.ok)

    n = m.take_notification(block=True, timeout=20)
    if n is None:
        print("no notification")
    else:
        xml = n.notification_xml
        print("notification netconf-config-change %s" % ("netconf-config-change" in xml and ":interfaces</target>" in xml))

    flt = ("subtree", '<interfaces xmlns="%s"><interface><name>eth7</name></interface></interfaces>' % NS)
    r = m.get(filter=flt)
    print("filtered get has eth7 %s mtu %s" % ("eth7" in r.data_xml, "<mtu>1500</mtu>" in r.data_xml))

    m.unlock(target="candidate")
    print("unlocked candidate")
print("closed")
