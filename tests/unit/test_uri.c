/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests of the URI parser and validator (plugin/uri.c): RFC 3261 19.1
 * sip/sips, RFC 3966 tel, RFC 5118 IPv6 forms, %HH escapes, URI parameters vs
 * header parameters, name-addr and list splitting; and valid messages with
 * tricky URIs that must draw no start-line, URI or encoding finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "uri.h"
#include "check.h"



/* A message view over a bare string: enough for the span-based helpers. */
static sip400_msg *view(const char *text)
{
    static sip400_msg m;
    memset(&m, 0, sizeof m);
    m.p = (const uint8_t *)text;
    m.len = (uint32_t)strlen(text);
    return &m;
}

static sip400_span all(const sip400_msg *m)
{
    sip400_span s = { 0, m->len };
    return s;
}

static bool span_is(const sip400_msg *m, sip400_span s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(m->p + s.off, lit, s.len) == 0;
}

static const char *span_str(const sip400_msg *m, sip400_span s)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(s.len < 200 ? s.len : 200), (const char *)m->p + s.off);
    return buf;
}

/* ---- parsing ---- */

typedef struct {
    const char *uri;
    sip400_scheme scheme;
    const char *user, *password, *host, *port, *params, *headers; /* NULL: absent */
} parse_case;

static const parse_case parse_cases[] = {
    { "sip:alice@example.com", SIP400_SCHEME_SIP, "alice", NULL, "example.com", NULL, "", NULL },
    { "SIP:alice@example.com:5060;transport=tcp?Subject=hi", SIP400_SCHEME_SIP, "alice", NULL, "example.com", "5060",
      "transport=tcp", "Subject=hi" },
    { "sips:[2001:db8::1]:5061;lr", SIP400_SCHEME_SIPS, "", NULL, "[2001:db8::1]", "5061", "lr", NULL },
    /* RFC 3261 19.1.3: ';' in the user part */
    { "sip:alice;day=tuesday@atlanta.com", SIP400_SCHEME_SIP, "alice;day=tuesday", NULL, "atlanta.com", NULL, "", NULL },
    { "sip:+1-212-555-1212:1234@gateway.com;user=phone", SIP400_SCHEME_SIP, "+1-212-555-1212", "1234", "gateway.com",
      NULL, "user=phone", NULL },
    /* RFC 4475 3.1.1.2: '?' and ':' in the userinfo */
    { "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
      SIP400_SCHEME_SIP, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
      "example.com", NULL, "", NULL },
    /* escaped '@' and '?' in the user part (sofia test36) */
    { "sip:+1-972-555-2222;phone-context=name%40domain;new=user?%22Route%3a%20X%40Y%3bZ=W%22@gw1.wcom.com;user=phone",
      SIP400_SCHEME_SIP, "+1-972-555-2222;phone-context=name%40domain;new=user?%22Route%3a%20X%40Y%3bZ=W%22", NULL,
      "gw1.wcom.com", NULL, "user=phone", NULL },
    /* an unescaped '@' in the headers (common in Refer-To Replaces) */
    { "sip:bob@example.com?Replaces=abc@host%3Bto-tag%3D1", SIP400_SCHEME_SIP, "bob", NULL, "example.com", NULL, "",
      "Replaces=abc@host%3Bto-tag%3D1" },
    { "sip:example.com:5070;maddr=239.255.255.1;ttl=15", SIP400_SCHEME_SIP, "", NULL, "example.com", "5070",
      "maddr=239.255.255.1;ttl=15", NULL },
    { "sip:alice@2001:db8::1", SIP400_SCHEME_SIP, "alice", NULL, "2001:db8::1", NULL, "", NULL },
    { "sip:bob@example.com:", SIP400_SCHEME_SIP, "bob", NULL, "example.com", "", "", NULL },
    { "tel:+1-201-555-0123;phone-context=example.com", SIP400_SCHEME_TEL, "+1-201-555-0123", NULL, "", NULL,
      "phone-context=example.com", NULL },
    { "tel:7042;phone-context=example.com", SIP400_SCHEME_TEL, "7042", NULL, "", NULL, "phone-context=example.com", NULL },
    /* no scheme: host:port, user@host */
    { "example.com:5060", SIP400_SCHEME_NONE, "", NULL, "example.com", "5060", "", NULL },
    { "pbx:5060", SIP400_SCHEME_NONE, "", NULL, "pbx", "5060", "", NULL },
    { "198.51.100.1:5060", SIP400_SCHEME_NONE, "", NULL, "198.51.100.1", "5060", "", NULL },
    { "alice@example.com", SIP400_SCHEME_NONE, "alice", NULL, "example.com", NULL, "", NULL },
};

static void test_parse(void)
{
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const parse_case *c = &parse_cases[i];
        sip400_msg *m = view(c->uri);
        sip400_uri u;
        sip400_uri_parse(m, all(m), &u);
        CHECKF(u.scheme == c->scheme, "%s: scheme %d, expected %d", c->uri, u.scheme, c->scheme);
        CHECKF(span_is(m, u.user, c->user), "%s: user '%s', expected '%s'", c->uri, span_str(m, u.user), c->user);
        CHECKF(u.has_password == (c->password != NULL), "%s: has_password %d", c->uri, u.has_password);
        if (c->password)
            CHECKF(span_is(m, u.password, c->password), "%s: password '%s'", c->uri, span_str(m, u.password));
        if (c->scheme != SIP400_SCHEME_TEL)
            CHECKF(span_is(m, u.host, c->host), "%s: host '%s', expected '%s'", c->uri, span_str(m, u.host), c->host);
        CHECKF(u.has_port == (c->port != NULL), "%s: has_port %d", c->uri, u.has_port);
        if (c->port)
            CHECKF(span_is(m, u.port, c->port), "%s: port '%s'", c->uri, span_str(m, u.port));
        CHECKF(span_is(m, u.params, c->params), "%s: params '%s', expected '%s'", c->uri, span_str(m, u.params), c->params);
        CHECKF(u.has_headers == (c->headers != NULL), "%s: has_headers %d", c->uri, u.has_headers);
        if (c->headers)
            CHECKF(span_is(m, u.headers, c->headers), "%s: headers '%s'", c->uri, span_str(m, u.headers));
    }
    /* other schemes are kept as such */
    static const char *const others[] = { "isbn:2983792873", "mailto:watson@example.com", "urn:service:sos",
                                          "http://example.com/bob", "xmpp:alice@example.com" };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        sip400_msg *m = view(others[i]);
        sip400_uri u;
        sip400_uri_parse(m, all(m), &u);
        CHECKF(u.scheme == SIP400_SCHEME_OTHER, "%s: scheme %d, expected other", others[i], u.scheme);
    }
}

/* ---- validation ---- */

typedef struct {
    const char *uri;
    sip400_uri_problem what; /* SIP400_UP_NONE: no problem at all */
    const char *bytes;       /* the issue's bytes; NULL: not checked */
} validate_case;

static const validate_case validate_cases[] = {
    { "sip:alice@example.com", SIP400_UP_NONE, NULL },
    { "sip:alice@example.com.", SIP400_UP_NONE, NULL },
    { "sip:alice;day=tuesday@atlanta.com", SIP400_UP_NONE, NULL },
    { "sip:%61lice@example.com;transport=tcp", SIP400_UP_NONE, NULL },
    { "sip:+1-212-555-1212@gateway.com;user=phone", SIP400_UP_NONE, NULL },
    { "sip:*67%23123@example.com", SIP400_UP_NONE, NULL },
    { "sip:[2001:db8::10]:5070", SIP400_UP_NONE, NULL },
    { "sip:[::ffff:192.0.2.1]", SIP400_UP_NONE, NULL },
    { "sip:[2001:db8::5060]", SIP400_UP_NONE, NULL }, /* ambiguous, but "::5060" is not a port */
    { "sip:alice@192.0.2.255:65535", SIP400_UP_NONE, NULL },
    { "tel:+1-201-555-0123", SIP400_UP_NONE, NULL },
    { "tel:(201)555.0123;phone-context=+1", SIP400_UP_NONE, NULL },
    { "urn:service:sos", SIP400_UP_NONE, NULL },
    { "bob@example.com", SIP400_UP_MISSING_SCHEME, "bob@example.com" },
    { "http://example.com", SIP400_UP_UNKNOWN_SCHEME, "http" },
    { "sip:bob smith@example.com", SIP400_UP_WHITESPACE, " " },
    { "sip:@example.com", SIP400_UP_MISSING_USER, "@" },
    { "sip:bob example.com", SIP400_UP_MISSING_AT, "bob example.com" },
    { "sip:bob@", SIP400_UP_EMPTY_HOST, "sip:bob@" },
    { "sip:", SIP400_UP_EMPTY_HOST, "sip:" },
    { "sip:bob@:5060", SIP400_UP_EMPTY_HOST, "sip:bob@:5060" },
    { "sip:bob@exa%mple.com", SIP400_UP_INVALID_HOST, "exa%mple.com" },
    { "sip:bob@a..b", SIP400_UP_INVALID_HOST, "a..b" },
    { "sip:bob@256.1.1.1", SIP400_UP_INVALID_HOST, "256.1.1.1" },
    { "sip:bob@[2001:db8::1", SIP400_UP_INVALID_HOST, "[2001:db8::1" },
    { "sip:bob@[2001:db8:::1]", SIP400_UP_INVALID_HOST, "[2001:db8:::1]" },
    { "sip:bob@2001:db8::1", SIP400_UP_IPV6_UNBRACKETED, "2001:db8::1" },
    { "sip:bob@2001:db8:0:0:0:0:0:1:5060", SIP400_UP_IPV6_UNBRACKETED, "2001:db8:0:0:0:0:0:1:5060" },
    { "sip:bob@fe80::1%eth0", SIP400_UP_INVALID_HOST, "fe80::1%eth0" },
    { "sip:bob@[2001:db8::10:5070]", SIP400_UP_IPV6_PORT_INSIDE, "5070" },
    { "sip:bob@[2001:db8:0:0:0:0:0:10:5070]", SIP400_UP_IPV6_PORT_INSIDE, "5070" },
    { "sip:bob@example.com:65536", SIP400_UP_INVALID_PORT, "65536" },
    { "sip:bob@example.com:", SIP400_UP_INVALID_PORT, ":" },
    { "sip:bob@example.com:50a", SIP400_UP_INVALID_PORT, "50a" },
    { "sip:100%@example.com", SIP400_UP_BAD_ESCAPE, "%" },
    { "sip:bob@example.com;x=%G1", SIP400_UP_BAD_ESCAPE, "%G1" },
    { "tel:+1555%2", SIP400_UP_BAD_ESCAPE, "%2" },
    { "sip:al\"ice@example.com", SIP400_UP_USER_INVALID_CHARS, "\"" },
    { "sip:bob@home@example.com", SIP400_UP_USER_SECOND_AT, "@" },
    { "sip:b\xc3\xb6@example.com", SIP400_UP_USER_INVALID_CHARS, "\xc3\xb6" },
    { "sip:b\xc3\xb6@example.com", SIP400_UP_NON_ASCII, "\xc3\xb6" },
    { "sip:bob@example.com?Subject=hi", SIP400_UP_HEADERS, "?Subject=hi" },
    { "sip:alice:secret@example.com", SIP400_UP_PASSWORD, ":secret" },
    { "tel:", SIP400_UP_MISSING_USER, "tel:" },
};

static void test_validate(void)
{
    for (size_t i = 0; i < sizeof validate_cases / sizeof validate_cases[0]; i++) {
        const validate_case *c = &validate_cases[i];
        sip400_msg *m = view(c->uri);
        sip400_uri u;
        sip400_uri_issues is;
        sip400_uri_parse(m, all(m), &u);
        sip400_uri_validate(m, &u, &is);
        if (c->what == SIP400_UP_NONE) {
            CHECKF(is.n == 0, "%s: expected no problem, got %s", c->uri,
                  is.n ? sip400_uri_problem_text(is.v[0].what) : "");
            continue;
        }
        const sip400_uri_issue *x = NULL;
        for (uint32_t k = 0; k < is.n; k++) {
            if (is.v[k].what == c->what)
                x = &is.v[k];
        }
        CHECKF(x != NULL, "%s: expected '%s'", c->uri, sip400_uri_problem_text(c->what));
        if (x && c->bytes) {
            sip400_span s = { x->off, x->len };
            CHECKF(span_is(m, s, c->bytes), "%s: '%s' on '%s', expected '%s'", c->uri, sip400_uri_problem_text(c->what),
                  span_str(m, s), c->bytes);
        }
    }
    /* one diagnosis: a missing '@' is not also whitespace or a bad host */
    sip400_msg *m = view("sip:bob example.com");
    sip400_uri u;
    sip400_uri_issues is;
    sip400_uri_parse(m, all(m), &u);
    sip400_uri_validate(m, &u, &is);
    CHECKF(is.n == 1, "sip:bob example.com: %u issues, expected 1", is.n);
}

/* ---- hosts and addresses ---- */

static void test_hosts(void)
{
    static const struct {
        const char *host;
        sip400_host_kind kind;
        sip400_host_problem why;
    } hosts[] = {
        { "example.com", SIP400_HOST_NAME, SIP400_HP_NONE },
        { "example.com.", SIP400_HOST_NAME, SIP400_HP_NONE },
        { "123.example.com", SIP400_HOST_NAME, SIP400_HP_NONE },
        { "localhost", SIP400_HOST_NAME, SIP400_HP_NONE },
        { "192.0.2.1", SIP400_HOST_IPV4, SIP400_HP_NONE },
        { "[2001:db8::1]", SIP400_HOST_IPV6, SIP400_HP_NONE },
        { "[::]", SIP400_HOST_IPV6, SIP400_HP_NONE },
        { "pbx_1.example.com", SIP400_HOST_NAME, SIP400_HP_UNDERSCORE },
        { "-pbx.example.com", SIP400_HOST_NAME, SIP400_HP_LABEL_DASH },
        { "a..example.com", SIP400_HOST_NAME, SIP400_HP_EMPTY_LABEL },
        { ".example.com", SIP400_HOST_NAME, SIP400_HP_EMPTY_LABEL },
        { "192.0.2.256", SIP400_HOST_IPV4, SIP400_HP_IPV4_OCTET },
        { "192..2.1", SIP400_HOST_IPV4, SIP400_HP_EMPTY_LABEL },
        { "12345", SIP400_HOST_NAME, SIP400_HP_NUMERIC },
        { "1.2.3", SIP400_HOST_NAME, SIP400_HP_NUMERIC },
        { "ex%41mple.com", SIP400_HOST_NAME, SIP400_HP_BAD_CHAR },
        { "[2001:db8::1", SIP400_HOST_IPV6, SIP400_HP_IPV6_SYNTAX },
        { "[example.com]", SIP400_HOST_IPV6, SIP400_HP_IPV6_SYNTAX },
        { "m\xc3\xbcnchen.de", SIP400_HOST_NAME, SIP400_HP_NON_ASCII },
    };
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        sip400_msg *m = view(hosts[i].host);
        sip400_host_problem why;
        sip400_host_kind k = sip400_host_check(m, all(m), &why);
        CHECKF(k == hosts[i].kind && why == hosts[i].why, "host %s: kind %d why %d, expected %d %d", hosts[i].host, k, why,
              hosts[i].kind, hosts[i].why);
        bool valid;
        sip400_host_classify(m, all(m), &valid);
        CHECKF(valid == (hosts[i].why == SIP400_HP_NONE), "host %s: classify valid=%d", hosts[i].host, valid);
    }
    CHECKF(sip400_host_problem_is_hard(SIP400_HP_BAD_CHAR) && !sip400_host_problem_is_hard(SIP400_HP_UNDERSCORE),
          "hard host problems");

    static const char *const v6_ok[] = { "::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "::ffff:192.0.2.1",
                                         "[2001:db8::1]", "fe80::1:2:3:4:5:6", "1:2:3:4:5:6:7::",
                                         "2001:db8:::192.0.2.1" /* RFC 5118 4.10 */ };
    static const char *const v6_bad[] = { "", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1",
                                          "1:2:3:4:5:6:7:8::", ":1:2", "1.2.3.4", "::1.2.3", "[::1",
                                          "2001:db8:::1", "2001:db8:::1:192.0.2.1" };
    uint8_t b[16];
    for (size_t i = 0; i < sizeof v6_ok / sizeof v6_ok[0]; i++)
        CHECKF(sip400_parse_ipv6((const uint8_t *)v6_ok[i], (uint32_t)strlen(v6_ok[i]), b), "IPv6 %s rejected", v6_ok[i]);
    for (size_t i = 0; i < sizeof v6_bad / sizeof v6_bad[0]; i++)
        CHECKF(!sip400_parse_ipv6((const uint8_t *)v6_bad[i], (uint32_t)strlen(v6_bad[i]), b), "IPv6 '%s' accepted",
              v6_bad[i]);
    CHECKF(sip400_parse_ipv6((const uint8_t *)"::ffff:192.0.2.1", 16, b) && b[10] == 0xff && b[12] == 192 && b[15] == 1,
          "IPv4-mapped bytes");
    static const char *const v4_bad[] = { "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ", "1234.1.1.1", "a.b.c.d" };
    for (size_t i = 0; i < sizeof v4_bad / sizeof v4_bad[0]; i++)
        CHECKF(!sip400_parse_ipv4((const uint8_t *)v4_bad[i], (uint32_t)strlen(v4_bad[i]), b), "IPv4 '%s' accepted",
              v4_bad[i]);
    CHECKF(sip400_parse_ipv4((const uint8_t *)"192.0.2.255", 11, b) && b[0] == 192 && b[3] == 255, "IPv4 bytes");
}

/* ---- name-addr, lists, parameters ---- */

static void test_nameaddr(void)
{
    static const struct {
        const char *value;
        bool ok, bracketed;
        const char *uri, *rest;
    } cases[] = {
        { "<sip:alice@example.com>;tag=1", true, true, "sip:alice@example.com", ";tag=1" },
        { "\"Alice <boss>, \\\"A\\\"\" <sip:alice@example.com>;tag=1", true, true, "sip:alice@example.com", ";tag=1" },
        { "sip:alice@example.com;tag=1", true, false, "sip:alice@example.com", ";tag=1" },
        { "sip:alice@example.com ;tag=1", true, false, "sip:alice@example.com", ";tag=1" },
        { "Bell, Alexander <sip:a.g.bell@example.com>", true, true, "sip:a.g.bell@example.com", "" },
        { "<sip:alice@example.com;transport=tcp>;expires=60", true, true, "sip:alice@example.com;transport=tcp",
          ";expires=60" },
        { "<sip:alice@example.com", false, false, NULL, NULL },
        { "\"Alice <sip:alice@example.com>", false, false, NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sip400_msg *m = view(cases[i].value);
        sip400_span uri, rest;
        bool br = false;
        bool ok = sip400_nameaddr_uri(m, all(m), &uri, &br, &rest);
        CHECKF(ok == cases[i].ok, "name-addr %s: ok=%d", cases[i].value, ok);
        if (!ok || !cases[i].ok)
            continue;
        CHECKF(br == cases[i].bracketed, "name-addr %s: bracketed=%d", cases[i].value, br);
        CHECKF(span_is(m, uri, cases[i].uri), "name-addr %s: uri '%s'", cases[i].value, span_str(m, uri));
        CHECKF(span_is(m, rest, cases[i].rest), "name-addr %s: rest '%s'", cases[i].value, span_str(m, rest));
    }

    const char *list = "\"Watson, <x>\" <sip:w@h;a=1,2>;q=0.7, <mailto:w@e.com> , ,sip:z@y;q=1";
    sip400_msg *m = view(list);
    sip400_span el[8];
    uint32_t total;
    uint32_t n = sip400_split_list(m, all(m), el, 8, &total);
    CHECKF(n == 4 && total == 4, "split_list: %u/%u elements", n, total);
    if (n == 4) {
        CHECKF(span_is(m, el[0], "\"Watson, <x>\" <sip:w@h;a=1,2>;q=0.7"), "element 0 '%s'", span_str(m, el[0]));
        CHECKF(span_is(m, el[1], "<mailto:w@e.com>"), "element 1 '%s'", span_str(m, el[1]));
        CHECKF(el[2].len == 0, "element 2 not empty");
        CHECKF(span_is(m, el[3], "sip:z@y;q=1"), "element 3 '%s'", span_str(m, el[3]));
    }
    n = sip400_split_list(m, all(m), el, 2, &total);
    CHECKF(n == 2 && total == 4, "split_list with max 2: %u/%u", n, total);

    m = view(";lr;transport=TCP; maddr = 192.0.2.1 ;x=\"a;b\";q");
    sip400_span v;
    CHECKF(sip400_param_find(m, all(m), "LR", &v) && v.len == 0, "param lr");
    CHECKF(sip400_param_find(m, all(m), "transport", &v) && span_is(m, v, "TCP"), "param transport");
    CHECKF(sip400_param_find(m, all(m), "maddr", &v) && span_is(m, v, "192.0.2.1"), "param maddr '%s'", span_str(m, v));
    CHECKF(sip400_param_find(m, all(m), "x", &v) && span_is(m, v, "\"a;b\""), "param x '%s'", span_str(m, v));
    CHECKF(sip400_param_find(m, all(m), "q", &v) && v.len == 0, "param q");
    CHECKF(!sip400_param_find(m, all(m), "b", &v), "param b is inside a quoted value");
}

/* ---- whole messages ---- */

#define VIA "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds\r\n"
#define BASE(method) VIA "Max-Forwards: 70\r\nFrom: Alice <sip:alice@example.com>;tag=1928301774\r\n" \
    "To: Bob <sip:bob@example.com>\r\nCall-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 " method "\r\n"

/* Valid messages that must draw no finding from groups A, D and J. */
static const char *const valid_msgs[] = {
    /* tel: URIs with visual separators (group E's business, not a URI error) */
    "INVITE tel:+1-201-555-0123 SIP/2.0\r\n" VIA "Max-Forwards: 70\r\n"
    "From: <tel:+1-(201)-555.0199>;tag=1\r\nTo: <tel:+1-201-555-0123>\r\nCall-ID: x1@pc33.example.com\r\n"
    "CSeq: 1 INVITE\r\nContact: <sip:alice@198.51.100.1:5060>\r\nContent-Length: 0\r\n\r\n",
    /* Contact: * in REGISTER with Expires: 0 */
    "REGISTER sip:example.com SIP/2.0\r\n" VIA "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=88\r\n"
    "To: <sip:alice@example.com>\r\nCall-ID: r1@pc33.example.com\r\nCSeq: 3 REGISTER\r\nContact: *\r\n"
    "Expires: 0\r\nContent-Length: 0\r\n\r\n",
    /* several Contacts; quoted display names with '<', ',' and '\"'; q values */
    "REGISTER sip:example.com SIP/2.0\r\n" VIA "Max-Forwards: 70\r\n"
    "From: \"Alice \\\"Al\\\" <boss>, Esq.\" <sip:alice@example.com>;tag=88\r\n"
    "To: \"Alice, A.\" <sip:alice@example.com>\r\nCall-ID: r2@pc33.example.com\r\nCSeq: 4 REGISTER\r\n"
    "Contact: \"Mr. Watson\" <sip:watson@198.51.100.1>;q=0.7;expires=3600, \"Mr. Watson\" <mailto:watson@example.com>;q=0.1\r\n"
    "m: <sips:watson@[2001:db8::7]:5061;transport=tls>;q=1;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"\r\n"
    "Expires: 3600\r\nContent-Length: 0\r\n\r\n",
    /* IPv6 everywhere, bracketed; received= without brackets (RFC 5118 4.5) */
    "OPTIONS sip:[2001:db8::10]:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP [2001:db8::9]:5060;received=2001:db8::9;rport=5060;branch=z9hG4bK1\r\n"
    "Max-Forwards: 70\r\nFrom: <sip:alice@[2001:db8::9]>;tag=1\r\nTo: <sip:[2001:db8::10]>\r\n"
    "Call-ID: v6@[2001:db8::9]\r\nCSeq: 1 OPTIONS\r\nRoute: <sip:[2001:db8::1];lr>\r\nContent-Length: 0\r\n\r\n",
    /* addr-spec forms: header params after the URI */
    "SUBSCRIBE sip:bob@example.com;transport=tcp SIP/2.0\r\n" VIA "Max-Forwards: 70\r\n"
    "f: sip:alice@example.com;tag=1\r\nt: sip:bob@example.com\r\ni: s1@pc33.example.com\r\nCSeq: 1 SUBSCRIBE\r\n"
    "m: sip:alice@198.51.100.1;expires=60\r\nEvent: presence\r\nContent-Length: 0\r\n\r\n",
    /* RFC 4475 3.1.1.3-style escapes, urn: and user=phone */
    "INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0\r\n" BASE("INVITE")
    "Contact: <sip:%61lice@198.51.100.1:5060;user=phone>\r\nContent-Length: 0\r\n\r\n",
    "INVITE urn:service:sos SIP/2.0\r\n" BASE("INVITE") "Contact: <sip:alice@198.51.100.1>\r\nContent-Length: 0\r\n\r\n",
    /* UTF-8 in a quoted display name and in Subject */
    "MESSAGE sip:bob@example.com SIP/2.0\r\n" VIA "Max-Forwards: 70\r\n"
    "From: \"J\xc3\xb6rg\" <sip:joerg@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"
    "Call-ID: m1@pc33.example.com\r\nCSeq: 1 MESSAGE\r\nSubject: Gr\xc3\xbc\xc3\x9f\x65\r\nContent-Type: text/plain\r\n"
    "Content-Length: 2\r\n\r\nhi",
    /* sips: with a sips: Contact; anonymous From */
    "INVITE sips:bob@example.com SIP/2.0\r\n" VIA "Max-Forwards: 70\r\n"
    "From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1\r\nTo: <sips:bob@example.com>\r\n"
    "Call-ID: s2@pc33.example.com\r\nCSeq: 1 INVITE\r\nContact: <sips:alice@client.example.com:5061>\r\n"
    "Content-Length: 0\r\n\r\n",
    /* RFC 4475 3.1.1.1 (wsinv): folding, compact forms, escaped quotes, q = 0.33 */
    "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\r\n"
    "TO :\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r\n"
    "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8\r\n"
    "MaX-fOrWaRdS: 0068\r\nCall-ID: wsinv.ndaksdj@192.0.2.1\r\nContent-Length   : 0\r\ncseq: 0009\r\n  INVITE\r\n"
    "Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw\r\n"
    "Route:\r\n <sip:services.example.com;lr;unknownwith=value;unknown-no-value>\r\n"
    "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n"
    " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239\r\n"
    "m:\"Quoted string \\\"\\\"\"  <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n"
    "  secondparam ; q = 0.33\r\n\r\n",
    /* RFC 4475 3.1.1.3 (esc01) and 3.1.1.4 (escnull): valid escapes */
    "INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0\r\nTo: sip:%75se%72@example.com\r\n"
    "From: <sip:I%20have%20spaces@example.net>;tag=938\r\nMax-Forwards: 87\r\n"
    "i: esc01.239409asdfakjkn23onasd0-3234\r\nCSeq: 234234 INVITE\r\n"
    "Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw\r\n"
    "Contact:\r\n  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>\r\nContent-Length: 0\r\n\r\n",
    "REGISTER sip:example.com SIP/2.0\r\nTo: sip:null-%00-null@example.com\r\n"
    "From: sip:null-%00-null@example.com;tag=839923423\r\nMax-Forwards: 70\r\n"
    "Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd\r\nCSeq: 14398234 REGISTER\r\n"
    "Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw\r\nContact: <sip:%00@host5.example.com>\r\n"
    "Contact: <sip:%00%00@host5.example.com>\r\nL:0\r\n\r\n",
    /* RFC 4475 3.1.1.6 (lwsdisp) and 3.1.1.9 (semiuri) */
    "OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0\r\nTo: sip:j_user@example.com\r\n"
    "From: caller<sip:caller@example.com>;tag=323\r\nMax-Forwards: 3\r\nCall-ID: semiuri.0ha0isndaksdj\r\n"
    "CSeq: 8 OPTIONS\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw\r\nl: 0\r\n\r\n",
    /* RFC 5118 4.1, 4.4, 4.7, 4.9, 4.10 (both forms of the IPv4 suffix) */
    "REGISTER sip:[2001:db8::10]:5070 SIP/2.0\r\nTo: sip:user@example.com\r\nFrom: sip:user@example.com;tag=81x2\r\n"
    "Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111\r\nCall-ID: SSG9559905523997077@hlau_4100\r\n"
    "Contact: \"Caller\" <sip:caller@[2001:db8::1]>\r\nMax-Forwards: 70\r\nCSeq: 98176 REGISTER\r\nContent-Length: 0\r\n\r\n",
    "BYE sip:user@host.example.net SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKjhja8781hjuaij65144\r\n"
    "Via: SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200\r\nCall-ID: 997077@lau_4100\r\n"
    "Max-Forwards: 70\r\nCSeq: 89187 BYE\r\nTo: sip:user@example.net;tag=9817--94\r\n"
    "From: sip:user@example.com;tag=81x2\r\nContent-Length: 0\r\n\r\n",
    "INVITE sip:user@example.com SIP/2.0\r\nTo: sip:user@example.com\r\nFrom: sip:user@east.example.com;tag=81x2\r\n"
    "Via: SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19\r\nVia: SIP/2.0/UDP [::ffff:192.0.2.2];branch=z9hG4bKas3-111\r\n"
    "Call-ID: SSG9559905523997077@hlau_4100\r\nContact: \"T. desk phone\" <sip:ted@[::ffff:192.0.2.2]>\r\n"
    "CSeq: 612 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    "OPTIONS sip:user@[2001:db8:::192.0.2.1] SIP/2.0\r\nTo: sip:user@[2001:db8:::192.0.2.1]\r\n"
    "From: sip:user@example.com;tag=810x2\r\nVia: SIP/2.0/UDP lab1.east.example.com;branch=z9hG4bKas3-111\r\n"
    "Call-ID: G9559905523997077@hlau_4100\r\nCSeq: 689 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    "OPTIONS sip:user@[2001:db8::192.0.2.1] SIP/2.0\r\nTo: sip:user@[2001:db8::192.0.2.1]\r\n"
    "From: sip:user@example.com;tag=810x2\r\nVia: SIP/2.0/UDP lab1.east.example.com;branch=z9hG4bKas3-111\r\n"
    "Call-ID: G9559905523997077@hlau_4100\r\nCSeq: 689 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    /* responses are not checked for request-only rules */
    "SIP/2.0 200 OK\r\n" VIA "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@198.51.100.1>;expires=3600\r\n"
    "Content-Length: 0\r\n\r\n",
};

static bool mine(sip400_cause c)
{
    char g = sip400_causes[c].group;
    return g == 'A' || g == 'D' || g == 'J';
}

static void test_valid_messages(void)
{
    sip400_result *r = malloc(sizeof *r);
    if (!r)
        exit(2);
    sip400_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.transport = SIP400_TRANSPORT_UDP;
    for (size_t i = 0; i < sizeof valid_msgs / sizeof valid_msgs[0]; i++) {
        sip400_analyze((const uint8_t *)valid_msgs[i], (uint32_t)strlen(valid_msgs[i]), &ctx, r);
        for (uint32_t k = 0; k < r->nfindings; k++) {
            const sip400_finding *f = &r->findings[k];
            CHECKF(!mine(f->cause), "valid message %zu: %s: %s", i, sip400_causes[f->cause].id, f->explanation);
        }
    }

    /* NUL: the exact byte is highlighted (the rule-case harness cannot say "\0") */
    static const char nul[] = "OPTIONS sip:bob@example.com SIP/2.0\r\n" BASE("OPTIONS") "Subject: a\0\0b\r\n"
                              "Content-Length: 0\r\n\r\n";
    sip400_analyze((const uint8_t *)nul, (uint32_t)(sizeof nul - 1), &ctx, r);
    const sip400_finding *f = NULL;
    for (uint32_t k = 0; k < r->nfindings; k++) {
        if (r->findings[k].cause == SIP400_ENCODING_NUL_BYTES)
            f = &r->findings[k];
    }
    CHECKF(f && f->length == 2 && nul[f->offset] == '\0' && nul[f->offset - 1] == 'a', "NUL run highlighted");

    /* RFC 4475 3.1.1.2 (intmeth): only the password in the Request-URI is worth a note */
    static const char intmeth[] =
        "!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,"
        "weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0\r\n"
        "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~\r\n"
        "To: \"BEL:\\\x07 DEL:\\\x7f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>\r\n"
        "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="
        "\"\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9\";tag=_token~1'+`*%!-.\r\n"
        "Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{\r\nCSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~\r\n"
        "Max-Forwards: 255\r\nextensionHeader-!.%*+_`'~: \xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb\r\n"
        "Content-Length: 0\r\n\r\n";
    sip400_analyze((const uint8_t *)intmeth, (uint32_t)(sizeof intmeth - 1), &ctx, r);
    for (uint32_t k = 0; k < r->nfindings; k++) {
        const sip400_finding *x = &r->findings[k];
        CHECKF(!mine(x->cause) || x->cause == SIP400_URI_PASSWORD_PRESENT, "intmeth: %s: %s",
              sip400_causes[x->cause].id, x->explanation);
    }

    /* an unbracketed IPv6 Route is reported once (hdr.route_malformed runs first) */
    static const char route[] = "OPTIONS sip:bob@example.com SIP/2.0\r\n" BASE("OPTIONS")
                                "Route: <sip:2001:db8::5;lr>\r\nContent-Length: 0\r\n\r\n";
    sip400_analyze((const uint8_t *)route, (uint32_t)(sizeof route - 1), &ctx, r);
    uint32_t n_route = 0;
    for (uint32_t k = 0; k < r->nfindings; k++) {
        sip400_cause c = r->findings[k].cause;
        n_route += c == SIP400_RURI_IPV6_UNBRACKETED || c == SIP400_HDR_ROUTE_MALFORMED;
    }
    CHECKF(n_route == 1, "unbracketed IPv6 in Route: %u findings, expected 1", n_route);

    /* leading garbage glued to the method ("DBREGISTER", zeek's junk-before-request) */
    static const char junk[] = "DBREGISTER sip:1.1.1.1:5060 SIP/2.0\r\nExpires: 3600\r\n\r\n";
    sip400_analyze((const uint8_t *)junk, (uint32_t)(sizeof junk - 1), &ctx, r);
    f = NULL;
    for (uint32_t k = 0; k < r->nfindings; k++) {
        if (r->findings[k].cause == SIP400_ENCODING_LEADING_GARBAGE)
            f = &r->findings[k];
    }
    CHECKF(f && f->offset == 0 && f->length == 2, "garbage glued to the method");
    free(r);
}

int main(void)
{
    test_parse();
    test_validate();
    test_hosts();
    test_nameaddr();
    test_valid_messages();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
