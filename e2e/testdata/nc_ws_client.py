#!/usr/bin/python3
"""NETCONF over WebSocket client for the e2e tests (python3-websockets).

Usage: nc_ws_client.py MODE URL, with the credentials in $NCWS_USER and $NCWS_PASSWORD.

MODE is one of:
  steps      hello, get-config, edit-config, get-config, two edits that must fail, close-session
  badpass    the upgrade with a wrong password: expects HTTP 401
  hold       hello, then waits until the server closes the session (for the shutdown test)

Every step prints one line "STEP key=value ..." on stdout; the Go test compares the lines.
A failure prints "FAIL ..." and exits 1.
"""

import asyncio
import base64
import os
import sys
import xml.etree.ElementTree as ET

import websockets

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
EX = "urn:ncws:yang:ncws-example"
TIMEOUT = 30  # seconds for any one message; the Go test bounds the whole run too

HELLO = ('<hello xmlns="%s"><capabilities>'
         '<capability>urn:ietf:params:netconf:base:1.0</capability>'
         '</capabilities></hello>' % NC)

WS_MAJOR = int(websockets.__version__.split(".")[0])


def say(*words):
    print(" ".join(words), flush=True)


def fail(msg):
    say("FAIL", msg)
    sys.exit(1)


def rpc(mid, body):
    return '<rpc xmlns="%s" message-id="%d">%s</rpc>' % (NC, mid, body)


def edit(config):
    return ('<edit-config><target><running/></target><config>%s</config>'
            '</edit-config>' % config)


def connect(url, user, password):
    auth = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    headers = {"Authorization": "Basic " + auth}
    if WS_MAJOR >= 14:  # the new asyncio implementation renamed the argument
        return websockets.connect(url, subprotocols=["netconf"], additional_headers=headers,
                                  open_timeout=TIMEOUT)
    return websockets.connect(url, subprotocols=["netconf"], extra_headers=headers,
                              open_timeout=TIMEOUT)


async def recv_xml(ws):
    msg = await asyncio.wait_for(ws.recv(), TIMEOUT)
    if not isinstance(msg, str):
        fail("binary message from the server")
    return ET.fromstring(msg)


async def call(ws, mid, body):
    """Sends one rpc and returns its rpc-reply, checking the message-id."""
    await ws.send(rpc(mid, body))
    reply = await recv_xml(ws)
    if reply.tag != "{%s}rpc-reply" % NC:
        fail("expected rpc-reply, got %s" % reply.tag)
    if reply.get("message-id") != str(mid):
        fail("reply message-id %r, want %d" % (reply.get("message-id"), mid))
    return reply


async def hello(ws):
    h = await recv_xml(ws)
    if h.tag != "{%s}hello" % NC:
        fail("expected hello, got %s" % h.tag)
    sid = h.findtext("{%s}session-id" % NC)
    caps = [c.text for c in h.iter("{%s}capability" % NC)]
    base11 = "urn:ietf:params:netconf:base:1.1" in caps
    await ws.send(HELLO)
    return sid, base11


def config_summary(reply):
    data = reply.find("{%s}data" % NC)
    if data is None:
        fail("get-config reply without data")
    host = data.findtext("{%s}system/{%s}hostname" % (EX, EX)) or "(none)"
    names = [i.findtext("{%s}name" % EX) for i in data.iter("{%s}interface" % EX)]
    return "hostname=%s interfaces=%s" % (host, ",".join(names) or "(none)")


def first_error(reply):
    err = reply.find("{%s}rpc-error" % NC)
    if err is None:
        fail("expected an rpc-error, got %s" % ET.tostring(reply, encoding="unicode"))
    return err


async def steps(url, user, password):
    async with connect(url, user, password) as ws:
        say("subprotocol", ws.subprotocol or "(none)")
        sid, base11 = await hello(ws)
        say("hello", "session-id=%s" % sid, "base11=%s" % str(base11).lower())

        get = "<get-config><source><running/></source></get-config>"
        say("get-config", config_summary(await call(ws, 1, get)))

        ok = await call(ws, 2, edit(
            '<system xmlns="%s"><hostname>e2e-host</hostname></system>'
            '<interfaces xmlns="%s" xmlns:ex="%s"><interface><name>eth0</name>'
            '<type>ex:ethernet</type></interface></interfaces>' % (EX, EX, EX)))
        say("edit-config", "ok" if ok.find("{%s}ok" % NC) is not None else "no-ok")

        say("get-config", config_summary(await call(ws, 3, get)))

        err = first_error(await call(ws, 4, edit(
            '<system xmlns="%s"><hostname>-bad-</hostname></system>' % EX)))
        say("edit-config", "error-tag=%s" % err.findtext("{%s}error-tag" % NC))

        err = first_error(await call(ws, 5, edit(
            '<interfaces xmlns="%s"><interface><name>eth1</name></interface></interfaces>'
            % EX)))
        say("edit-config", "error-tag=%s" % err.findtext("{%s}error-tag" % NC),
            "bad-element=%s" % err.findtext("{%s}error-info/{%s}bad-element" % (NC, NC)))

        say("get-config", config_summary(await call(ws, 6, get)))

        ok = await call(ws, 7, "<close-session/>")
        say("close-session", "ok" if ok.find("{%s}ok" % NC) is not None else "no-ok")
        await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
        say("closed", "code=%s" % ws.close_code)


async def badpass(url, user, password):
    try:
        async with connect(url, user, password + "-wrong"):
            fail("the upgrade succeeded with a wrong password")
    except websockets.exceptions.InvalidHandshake as e:
        # InvalidStatusCode.status_code before websockets 14, InvalidStatus.response after.
        status = getattr(e, "status_code", None)
        if status is None and getattr(e, "response", None) is not None:
            status = e.response.status_code
        if status is None:
            fail("handshake failed without an HTTP status: %r" % e)
        say("wrong-password", "status=%d" % status)


async def hold(url, user, password):
    async with connect(url, user, password) as ws:
        sid, _ = await hello(ws)
        say("held", "session-id=%s" % sid)
        # No timeout here: the Go test stops the server and bounds this process.
        try:
            while True:
                await ws.recv()
        except websockets.exceptions.ConnectionClosed:
            pass
        say("closed", "code=%s" % ws.close_code)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("steps", "badpass", "hold"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    mode, url = sys.argv[1], sys.argv[2]
    user, password = os.environ["NCWS_USER"], os.environ["NCWS_PASSWORD"]
    asyncio.run(globals()[mode](url, user, password))


if __name__ == "__main__":
    main()
