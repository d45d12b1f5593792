/*
 * nc2callhome: a NETCONF client on Debian's libnetconf2 (2.0.x client API) that waits for SSH call
 * home (RFC 8071): it listens on 127.0.0.1:PORT, accepts COUNT sessions that `ncws serve
 * --call-home ssh://127.0.0.1:PORT` opens one after the other (the server redials after each
 * session ends), and in each one reads running, merges an interface on the first, and reads the
 * ietf-netconf-monitoring sessions, printing one line per step for e2e/thirdclient_test.go.
 * libnetconf2 builds the session's libyang context itself: the modules the server announces are
 * fetched with <get-schema> into SCHEMADIR (an empty directory the first time). Closing a
 * session (nc_session_free) sends <close-session>.
 *
 * Usage: nc2callhome PORT COUNT SCHEMADIR   (NCWS_USER and NCWS_PASSWORD in the environment)
 *
 * Built by the test with: gcc nc2callhome.c $(pkg-config --cflags --libs libnetconf2 libyang)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libyang/libyang.h>
#include <nc_client.h>

#define NS "urn:ncws:yang:ncws-example"

static const char *password;

static void
print_clb(NC_VERB_LEVEL level, const char *msg)
{
    static const char *names[] = {"error", "warning", "verbose", "debug", "debug"};

    fprintf(stderr, "libnetconf2 %s: %s\n", names[level], msg);
}

static int
hostkey_check(const char *hostname, ssh_session session, void *priv)
{
    (void)hostname;
    (void)session;
    (void)priv;
    return 0; /* the test's server makes a new host key each time */
}

static char *
auth_password(const char *username, const char *hostname, void *priv)
{
    (void)username;
    (void)hostname;
    (void)priv;
    return strdup(password);
}

static char *
auth_interactive(const char *name, const char *instruction, const char *prompt, int echo, void *priv)
{
    (void)name;
    (void)instruction;
    (void)prompt;
    (void)echo;
    (void)priv;
    return strdup(password);
}

/*
 * call sends rpc and waits for its reply. It returns the reply's output (the rpc node with its
 * output children, NULL for <ok/> or <rpc-error>) and sets *envp to the rpc-reply envelope.
 */
static int
call(struct nc_session *s, struct nc_rpc *rpc, const char *what, struct lyd_node **envp, struct lyd_node **op)
{
    uint64_t msgid;
    NC_MSG_TYPE msg;

    *envp = NULL;
    *op = NULL;
    if (nc_send_rpc(s, rpc, 10000, &msgid) != NC_MSG_RPC) {
        fprintf(stderr, "%s: sending failed\n", what);
        return -1;
    }
    do {
        lyd_free_tree(*envp);
        lyd_free_tree(*op);
        msg = nc_recv_reply(s, rpc, msgid, 20000, envp, op);
    } while (msg == NC_MSG_NOTIF);
    if (msg != NC_MSG_REPLY) {
        fprintf(stderr, "%s: no reply (%d)\n", what, msg);
        return -1;
    }
    return 0;
}

/* xml prints a tree and its siblings as one line of XML; the caller frees the result. */
static char *
xml(const struct lyd_node *tree)
{
    char *out = NULL;

    if (!tree || lyd_print_mem(&out, tree, LYD_XML, LYD_PRINT_WITHSIBLINGS | LYD_PRINT_SHRINK)) {
        return strdup("");
    }
    return out;
}

/* data returns the tree inside a reply's <data> anyxml. */
static const struct lyd_node *
data(const struct lyd_node *op)
{
    const struct lyd_node_any *any;

    if (!op || !lyd_child(op) || strcmp(LYD_NAME(lyd_child(op)), "data")) {
        return NULL;
    }
    any = (const struct lyd_node_any *)lyd_child(op);
    return any->value_type == LYD_ANYDATA_DATATREE ? any->value.tree : NULL;
}

/* leaf copies a leaf of session id in netconf-state/sessions into buf, or "(none)". */
static const char *
leaf(const struct lyd_node *tree, uint32_t id, const char *name, char *buf, size_t size)
{
    char path[256];
    struct ly_set *set = NULL;

    snprintf(path, sizeof path, "/ietf-netconf-monitoring:netconf-state/sessions/session[session-id='%u']/%s", id, name);
    snprintf(buf, size, "(none)");
    if (tree && !lyd_find_xpath(tree, path, &set) && (set->count == 1)) {
        snprintf(buf, size, "%s", lyd_get_value(set->dnodes[0]));
    }
    ly_set_free(set, NULL);
    return buf;
}

/* ok reports whether a reply envelope is <rpc-reply><ok/></rpc-reply>. */
static int
ok(const struct lyd_node *envp)
{
    return envp && lyd_child(envp) && !strcmp(LYD_NAME(lyd_child(envp)), "ok");
}

/* done frees a reply and the rpc it answers. */
static void
done(struct nc_rpc **rpc, struct lyd_node **envp, struct lyd_node **op)
{
    nc_rpc_free(*rpc);
    lyd_free_tree(*envp);
    lyd_free_tree(*op);
    *rpc = NULL;
    *envp = *op = NULL;
}

/* session runs the steps of the n-th call-home session. */
static int
session(int n, struct nc_session *s)
{
    struct nc_rpc *rpc;
    struct lyd_node *envp = NULL, *op = NULL;
    char *str, user[64], transport[128];
    uint32_t id = nc_session_get_id(s);

    printf("session %d: accepted call home from %s as %s, NETCONF %s\n", n, nc_session_get_host(s),
            nc_session_get_username(s), nc_session_get_version(s) ? "1.1" : "1.0");
    /* Not compared by the test: libnetconf2 2.0 learns the server's modules from the deprecated
     * /modules-state of RFC 7895 (or the hello), not from RFC 8525's /yang-library. */
    fprintf(stderr, "session %d: ncws-example in the libyang context: %s\n", n,
            ly_ctx_get_module_implemented(nc_session_get_ctx(s), "ncws-example") ? "yes" : "no");

    rpc = nc_rpc_getconfig(NC_DATASTORE_RUNNING, NULL, NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
    if (call(s, rpc, "get-config", &envp, &op) || !op || !lyd_child(op) ||
            strcmp(LYD_NAME(lyd_child(op)), "data")) {
        str = xml(envp);
        fprintf(stderr, "get-config: no data in the reply %s\n", str);
        free(str);
        goto fail;
    }
    str = xml(data(op));
    printf("session %d: get-config running: eth5 %s\n", n, !strstr(str, "<name>eth5</name>") ? "absent" :
            strstr(str, "<mtu>1400</mtu>") ? "present, mtu 1400" : "present");
    fprintf(stderr, "session %d get-config: %s\n", n, str);
    free(str);
    done(&rpc, &envp, &op);

    if (n == 1) {
        rpc = nc_rpc_edit(NC_DATASTORE_RUNNING, NC_RPC_EDIT_DFLTOP_MERGE, NC_RPC_EDIT_TESTOPT_UNKNOWN,
                NC_RPC_EDIT_ERROPT_UNKNOWN,
                "<interfaces xmlns=\"" NS "\"><interface><name>eth5</name>"
                "<type xmlns:ex=\"" NS "\">ex:ethernet</type><mtu>1400</mtu></interface></interfaces>",
                NC_PARAMTYPE_CONST);
        if (call(s, rpc, "edit-config", &envp, &op)) {
            goto fail;
        }
        str = xml(envp);
        printf("session %d: edit-config merge eth5: %s\n", n, ok(envp) ? "ok" : "not ok");
        fprintf(stderr, "session %d edit-config reply: %s\n", n, str);
        free(str);
        done(&rpc, &envp, &op);
    }

    rpc = nc_rpc_get("<netconf-state xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring\"><sessions/></netconf-state>",
            NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
    if (call(s, rpc, "get", &envp, &op)) {
        goto fail;
    }
    str = xml(data(op));
    fprintf(stderr, "session %d get netconf-state/sessions: %s\n", n, str);
    free(str);
    printf("session %d: monitoring: this session's username %s, transport %s\n", n,
            leaf(data(op), id, "username", user, sizeof user),
            leaf(data(op), id, "transport", transport, sizeof transport));
    done(&rpc, &envp, &op);
    return 0;

fail:
    done(&rpc, &envp, &op);
    return -1;
}

int
main(int argc, char **argv)
{
    struct nc_session *s;
    int port, count, n, r;
    const char *user;

    if (argc != 4) {
        fprintf(stderr, "usage: nc2callhome PORT COUNT SCHEMADIR\n");
        return 2;
    }
    port = atoi(argv[1]);
    count = atoi(argv[2]);
    user = getenv("NCWS_USER");
    password = getenv("NCWS_PASSWORD");
    if (!user || !password) {
        fprintf(stderr, "nc2callhome: NCWS_USER and NCWS_PASSWORD must be set\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    nc_client_init();
    nc_set_print_clb(print_clb);
    nc_verbosity(getenv("NC2_VERBOSE") ? NC_VERB_VERBOSE : NC_VERB_WARNING);
    nc_client_set_schema_searchpath(argv[3]);
    nc_client_ssh_ch_set_username(user);
    nc_client_ssh_ch_set_auth_hostkey_check_clb(hostkey_check, NULL);
    nc_client_ssh_ch_set_auth_password_clb(auth_password, NULL);
    nc_client_ssh_ch_set_auth_interactive_clb(auth_interactive, NULL);
    nc_client_ssh_ch_set_auth_pref(NC_SSH_AUTH_PUBLICKEY, -1);
    if (nc_client_ssh_ch_add_bind_listen("127.0.0.1", port)) {
        fprintf(stderr, "nc2callhome: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    printf("listening for SSH call home on 127.0.0.1:%d\n", port);

    for (n = 1; n <= count; n++) {
        s = NULL;
        r = nc_accept_callhome(30000, NULL, &s);
        if (r != 1) {
            fprintf(stderr, "nc2callhome: no call home session %d (%s)\n", n, r ? "error" : "timeout");
            return 1;
        }
        r = session(n, s);
        nc_session_free(s, NULL); /* sends <close-session> */
        if (r) {
            return 1;
        }
        printf("session %d: closed\n", n);
    }
    nc_client_ssh_ch_del_bind(NULL, 0);
    nc_client_destroy();
    return 0;
}
