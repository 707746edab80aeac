/* SPDX-License-Identifier: GPL-2.0-or-later
 * Transaction correlation (plugin/txn.c): requests, retransmissions, final and
 * provisional responses, ACK and CANCEL, hops told apart by branch and by
 * address, broken requests, orphans, eviction of the oldest, reset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "txn.h"
#include "check.h"



/* Client 198.51.100.1:5060, server 198.51.100.2:5060, proxy-next-hop .3 */
static sip400_ctx ctx_from(uint32_t frame, int src, int dst, uint16_t sport, uint16_t dport)
{
    sip400_ctx c;
    memset(&c, 0, sizeof c);
    c.transport = SIP400_TRANSPORT_UDP;
    c.frame = frame;
    c.src.family = c.dst.family = 4;
    c.src.addr[0] = c.dst.addr[0] = 198;
    c.src.addr[1] = c.dst.addr[1] = 51;
    c.src.addr[2] = c.dst.addr[2] = 100;
    c.src.addr[3] = (uint8_t)src;
    c.dst.addr[3] = (uint8_t)dst;
    c.src_port = sport;
    c.dst_port = dport;
    return c;
}

static sip400_msg msgbuf;

static sip400_txn_event feed(sip400_txn_table *t, const char *text, uint32_t frame, int src, int dst,
                             sip400_txn **out)
{
    sip400_ctx c = ctx_from(frame, src, dst, 5060, 5060);
    sip400_msg_scan(&msgbuf, (const uint8_t *)text, (uint32_t)strlen(text));
    return sip400_txn_feed(t, &msgbuf, NULL, &c, out);
}

#define VIA(b) "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=" b ";rport\r\n"
#define HDRS(cid, cseq)                                                                   \
    "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"                \
    "Call-ID: " cid "\r\nCSeq: " cseq "\r\nContent-Length: 0\r\n\r\n"
#define REQ(m, b, cid, cseq) m " sip:bob@example.com SIP/2.0\r\n" VIA(b) "Max-Forwards: 70\r\n" HDRS(cid, cseq)
#define RESP(st, b, cid, cseq) "SIP/2.0 " st "\r\n" VIA(b) HDRS(cid, cseq)

static void test_basic(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 16));
    sip400_txn *e = NULL;

    CHECK(feed(&t, REQ("INVITE", "z9hG4bK1", "c1@h", "1 INVITE"), 1, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(e && e->req_frame == 1 && e->req_count == 1 && strcmp(e->req_method, "INVITE") == 0);
    void *rec = &t; /* any non-NULL record */
    e->user = rec;
    /* retransmission: same key, branch, endpoints */
    CHECK(feed(&t, REQ("INVITE", "z9hG4bK1", "c1@h", "1 INVITE"), 2, 1, 2, &e) == SIP400_TXN_RETRANSMISSION);
    CHECK(e && e->req_count == 2 && e->req_frame == 1 && e->req_last_frame == 2 && e->user == rec);
    CHECK(feed(&t, RESP("100 Trying", "z9hG4bK1", "c1@h", "1 INVITE"), 3, 2, 1, &e) == SIP400_TXN_PROVISIONAL);
    CHECK(e && e->prov_frame == 3 && e->prov_status == 100 && e->final_frame == 0);
    CHECK(feed(&t, RESP("400 Bad Request", "z9hG4bK1", "c1@h", "1 INVITE"), 4, 2, 1, &e) == SIP400_TXN_FINAL);
    CHECK(e && e->final_frame == 4 && e->final_status == 400 && e->final_count == 1 && e->user == rec);
    /* retransmitted 400 */
    CHECK(feed(&t, RESP("400 Bad Request", "z9hG4bK1", "c1@h", "1 INVITE"), 5, 2, 1, &e) == SIP400_TXN_FINAL_AGAIN);
    CHECK(e && e->final_frame == 4 && e->final_count == 2);
    /* ACK of the 400: same branch, recorded on the INVITE, no transaction of its own */
    CHECK(feed(&t, REQ("ACK", "z9hG4bK1", "c1@h", "1 ACK"), 6, 1, 2, &e) == SIP400_TXN_ACK);
    CHECK(e && e->ack_frame == 6 && e->req_frame == 1);
    CHECK(t.live == 1 && t.created == 1);
    /* a response to an unknown request */
    CHECK(feed(&t, RESP("200 OK", "z9hG4bK9", "other@h", "9 OPTIONS"), 7, 2, 1, &e) == SIP400_TXN_ORPHAN);
    CHECK(e == NULL && t.orphans == 1);
    /* not SIP at all */
    CHECK(feed(&t, "hello world\r\n\r\n", 8, 1, 2, &e) == SIP400_TXN_IGNORED && e == NULL);
    sip400_txn_table_free(&t);
}

static void test_cancel(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 16));
    sip400_txn *e = NULL, *inv = NULL;
    CHECK(feed(&t, REQ("INVITE", "z9hG4bKa", "c2@h", "5 INVITE"), 1, 1, 2, &inv) == SIP400_TXN_REQUEST);
    uint64_t inv_seq = inv->seq;
    /* CANCEL: same branch and number, its own transaction */
    CHECK(feed(&t, REQ("CANCEL", "z9hG4bKa", "c2@h", "5 CANCEL"), 2, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(e && e->seq != inv_seq && strcmp(e->key.method, "CANCEL") == 0);
    CHECK(feed(&t, RESP("200 OK", "z9hG4bKa", "c2@h", "5 CANCEL"), 3, 2, 1, &e) == SIP400_TXN_FINAL);
    CHECK(e && strcmp(e->key.method, "CANCEL") == 0 && e->final_frame == 3);
    CHECK(feed(&t, RESP("487 Request Terminated", "z9hG4bKa", "c2@h", "5 INVITE"), 4, 2, 1, &e) ==
          SIP400_TXN_FINAL);
    CHECK(e && e->seq == inv_seq && e->final_status == 487);
    sip400_txn_table_free(&t);
}

static void test_ack_2xx(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 16));
    sip400_txn *e = NULL;
    CHECK(feed(&t, REQ("INVITE", "z9hG4bKi", "c3@h", "1 INVITE"), 1, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(feed(&t, RESP("200 OK", "z9hG4bKi", "c3@h", "1 INVITE"), 2, 2, 1, &e) == SIP400_TXN_FINAL);
    /* the ACK of a 2xx has a new branch */
    CHECK(feed(&t, REQ("ACK", "z9hG4bKnew", "c3@h", "1 ACK"), 3, 1, 2, &e) == SIP400_TXN_ACK);
    CHECK(e && e->ack_frame == 3);
    /* an ACK nobody asked for */
    CHECK(feed(&t, REQ("ACK", "z9hG4bKx", "zz@h", "1 ACK"), 4, 1, 2, &e) == SIP400_TXN_ACK && e == NULL);
    CHECK(t.live == 1);
    sip400_txn_table_free(&t);
}

/* A proxy in the middle: the same Call-ID and CSeq on two hops. */
static void test_hops(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 16));
    sip400_txn *e = NULL;
    /* with branches: the proxy's hop has a new top Via branch */
    CHECK(feed(&t, REQ("INVITE", "z9hG4bKa1", "h@x", "1 INVITE"), 1, 1, 2, &e) == SIP400_TXN_REQUEST);
    uint64_t s1 = e->seq;
    CHECK(feed(&t, REQ("INVITE", "z9hG4bKp2", "h@x", "1 INVITE"), 2, 2, 3, &e) == SIP400_TXN_REQUEST);
    uint64_t s2 = e->seq;
    CHECK(feed(&t, RESP("400 Bad Request", "z9hG4bKp2", "h@x", "1 INVITE"), 3, 3, 2, &e) == SIP400_TXN_FINAL);
    CHECK(e && e->seq == s2 && e->req_frame == 2);
    CHECK(feed(&t, RESP("400 Bad Request", "z9hG4bKa1", "h@x", "1 INVITE"), 4, 2, 1, &e) == SIP400_TXN_FINAL);
    CHECK(e && e->seq == s1 && e->req_frame == 1);
    /* a branch that matches nothing is not our transaction */
    CHECK(feed(&t, RESP("400 Bad Request", "z9hG4bKzz", "h@x", "1 INVITE"), 5, 2, 1, &e) == SIP400_TXN_ORPHAN);

    /* without branches: the addresses tell the hops apart */
    static const char a[] = "OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.1\r\n" HDRS("nb@x", "2 OPTIONS");
    static const char r[] = "SIP/2.0 400 Bad Request\r\nVia: SIP/2.0/UDP 198.51.100.1\r\n" HDRS("nb@x", "2 OPTIONS");
    CHECK(feed(&t, a, 10, 1, 2, &e) == SIP400_TXN_REQUEST);
    s1 = e->seq;
    CHECK(feed(&t, a, 11, 2, 3, &e) == SIP400_TXN_REQUEST); /* other endpoints: not a retransmission */
    s2 = e->seq;
    CHECK(feed(&t, r, 12, 2, 1, &e) == SIP400_TXN_FINAL && e && e->seq == s1);
    CHECK(feed(&t, r, 13, 3, 2, &e) == SIP400_TXN_FINAL && e && e->seq == s2);
    sip400_txn_table_free(&t);
}

/* Requests Wireshark cannot decode still correlate: the key is taken as written. */
static void test_broken(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 16));
    sip400_txn *e = NULL;
    /* CSeq without method: the 400 copies it */
    CHECK(feed(&t, REQ("INVITE", "z9hG4bKm", "b1@h", "7"), 1, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(e && e->key.method_len == 0 && strcmp(e->key.num, "7") == 0);
    CHECK(feed(&t, RESP("400 Missing method in CSeq header", "z9hG4bKm", "b1@h", "7"), 2, 2, 1, &e) ==
          SIP400_TXN_FINAL);
    CHECK(e && e->req_frame == 1);
    /* CSeq method mismatch: keyed by the CSeq method as written */
    CHECK(feed(&t, REQ("INVITE", "z9hG4bKn", "b2@h", "1 BYE"), 3, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(feed(&t, RESP("400 CSeq method does not match request method", "z9hG4bKn", "b2@h", "1 BYE"), 4, 2, 1,
               &e) == SIP400_TXN_FINAL);
    CHECK(e && e->req_frame == 3 && strcmp(e->req_method, "INVITE") == 0);
    /* illegal number */
    CHECK(feed(&t, REQ("OPTIONS", "z9hG4bKo", "b3@h", "abc OPTIONS"), 5, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(feed(&t, RESP("400 CSeq number is illegal", "z9hG4bKo", "b3@h", "abc OPTIONS"), 6, 2, 1, &e) ==
          SIP400_TXN_FINAL);
    CHECK(e && e->req_frame == 5);
    /* SIP/3.0 request line still has a method */
    static const char v3[] = "OPTIONS sip:bob@example.com SIP/3.0\r\n" VIA("z9hG4bKv") HDRS("b4@h", "1 OPTIONS");
    CHECK(feed(&t, v3, 7, 1, 2, &e) == SIP400_TXN_REQUEST);
    /* no Call-ID: correlated on CSeq and branch */
    static const char nocid[] = "MESSAGE sip:bob@example.com SIP/2.0\r\n" VIA("z9hG4bKq")
        "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCSeq: 3 MESSAGE\r\nContent-Length: 0\r\n\r\n";
    static const char nocid_r[] = "SIP/2.0 400 Missing Call-ID\r\n" VIA("z9hG4bKq")
        "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=s\r\nCSeq: 3 MESSAGE\r\nContent-Length: 0\r\n\r\n";
    CHECK(feed(&t, nocid, 8, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(feed(&t, nocid_r, 9, 2, 1, &e) == SIP400_TXN_FINAL && e && e->req_frame == 8);
    /* nothing to correlate on: neither Call-ID nor branch */
    static const char bare[] = "OPTIONS sip:b@x SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n";
    CHECK(feed(&t, bare, 10, 1, 2, &e) == SIP400_TXN_IGNORED && e == NULL);
    /* Call-IDs longer than the stored copy still differ by their hash */
    static const char l1[] = REQ("OPTIONS", "z9hG4bKl",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
        "0123456789012345678901234567890123456789-A", "1 OPTIONS");
    static const char l2[] = RESP("400 Bad Request", "z9hG4bKl",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
        "0123456789012345678901234567890123456789-B", "1 OPTIONS");
    CHECK(feed(&t, l1, 11, 1, 2, &e) == SIP400_TXN_REQUEST);
    CHECK(feed(&t, l2, 12, 2, 1, &e) == SIP400_TXN_ORPHAN);
    sip400_txn_table_free(&t);
}

static void test_eviction(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 4));
    sip400_txn *e = NULL;
    char req[512], resp[512];
    for (int i = 1; i <= 6; i++) {
        snprintf(req, sizeof req,
                 "OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK%d\r\n"
                 "Call-ID: ev%d@h\r\nCSeq: %d OPTIONS\r\n\r\n", i, i, i);
        sip400_msg_scan(&msgbuf, (const uint8_t *)req, (uint32_t)strlen(req));
        sip400_ctx c = ctx_from((uint32_t)i, 1, 2, 5060, 5060);
        CHECK(sip400_txn_feed(&t, &msgbuf, NULL, &c, &e) == SIP400_TXN_REQUEST);
    }
    CHECK(t.live == 4 && t.evicted == 2 && t.created == 6);
    for (int i = 1; i <= 6; i++) {
        snprintf(resp, sizeof resp,
                 "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK%d\r\n"
                 "Call-ID: ev%d@h\r\nCSeq: %d OPTIONS\r\n\r\n", i, i, i);
        sip400_msg_scan(&msgbuf, (const uint8_t *)resp, (uint32_t)strlen(resp));
        sip400_ctx c = ctx_from((uint32_t)(10 + i), 2, 1, 5060, 5060);
        sip400_txn_event ev = sip400_txn_feed(&t, &msgbuf, NULL, &c, &e);
        if (i <= 2)
            CHECK(ev == SIP400_TXN_ORPHAN); /* the two oldest were evicted */
        else
            CHECK(ev == SIP400_TXN_FINAL && e && e->req_frame == (uint32_t)i);
    }
    sip400_txn_table_reset(&t);
    CHECK(t.live == 0 && t.created == 0);
    sip400_msg_scan(&msgbuf, (const uint8_t *)resp, (uint32_t)strlen(resp));
    sip400_ctx c = ctx_from(99, 2, 1, 5060, 5060);
    CHECK(sip400_txn_feed(&t, &msgbuf, NULL, &c, &e) == SIP400_TXN_ORPHAN);

    /* many more requests than slots: bounded, chains stay consistent */
    for (int i = 0; i < 1000; i++) {
        snprintf(req, sizeof req,
                 "OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKm%d\r\n"
                 "Call-ID: m%d@h\r\nCSeq: 1 OPTIONS\r\n\r\n", i, i % 7);
        sip400_msg_scan(&msgbuf, (const uint8_t *)req, (uint32_t)strlen(req));
        c = ctx_from((uint32_t)(100 + i), 1, 2, 5060, 5060);
        CHECK(sip400_txn_feed(&t, &msgbuf, NULL, &c, &e) == SIP400_TXN_REQUEST);
    }
    CHECK(t.live == 4 && t.evicted == 996);
    sip400_txn_table_free(&t);
    /* a freed table ignores everything */
    CHECK(sip400_txn_feed(&t, &msgbuf, NULL, &c, &e) == SIP400_TXN_IGNORED);
}

static void test_key(void)
{
    sip400_txn_key k;
    static const char m1[] = "INVITE sip:b@x SIP/2.0\r\n"
                             "v: SIP/2.0/TCP [2001:db8::1]:5070;rport;branch=z9hG4bKc1 , SIP/2.0/UDP p;branch=z9hG4bKc2\r\n"
                             "i: compact@h\r\nCSeq:   42    INVITE  \r\n\r\n";
    sip400_msg_scan(&msgbuf, (const uint8_t *)m1, (uint32_t)strlen(m1));
    CHECK(sip400_txn_key_from_msg(&msgbuf, NULL, &k));
    CHECK(strcmp(k.callid, "compact@h") == 0);
    CHECK(strcmp(k.num, "42") == 0 && strcmp(k.method, "INVITE") == 0);
    CHECK(strcmp(k.branch, "z9hG4bKc1") == 0);
}

/* Feed at a time (seconds) and transport, with explicit ports. */
static sip400_txn_event feed_at(sip400_txn_table *t, const char *text, uint32_t frame, int src, int dst,
                                uint16_t sport, uint16_t dport, double time, sip400_transport tr, sip400_txn **out)
{
    sip400_ctx c = ctx_from(frame, src, dst, sport, dport);
    c.time = time;
    c.transport = tr;
    sip400_msg_scan(&msgbuf, (const uint8_t *)text, (uint32_t)strlen(text));
    return sip400_txn_feed(t, &msgbuf, NULL, &c, out);
}

/* What servers leave out of a 400 (sofia-sip and belle-sip drop a CSeq they
 * cannot parse; some stacks answer with almost nothing): each key in turn. */
static void test_links(void)
{
    sip400_txn_table t;
    CHECK(sip400_txn_table_init(&t, 64));
    sip400_txn *e = NULL;
    const sip400_transport U = SIP400_TRANSPORT_UDP, T = SIP400_TRANSPORT_TCP;

    /* Call-ID + CSeq */
    CHECK(feed_at(&t, REQ("OPTIONS", "z9hG4bKa", "l1@h", "1 OPTIONS"), 1, 1, 2, 5060, 5060, 100, U, &e) ==
          SIP400_TXN_REQUEST);
    CHECK(feed_at(&t, RESP("400 Bad", "z9hG4bKa", "l1@h", "1 OPTIONS"), 2, 2, 1, 5060, 5060, 100.1, U, &e) ==
          SIP400_TXN_FINAL && e && e->req_frame == 1);
    CHECK(t.last_link == SIP400_LINK_BRANCH);
    CHECK(strcmp(sip400_txn_link_name(t.last_link), "branch") == 0);

    /* no CSeq in the 400 (sofia "400 Bad CSeq Header"): branch + sent-by */
    CHECK(feed_at(&t, REQ("INVITE", "z9hG4bKb", "l2@h", "7"), 3, 1, 2, 5060, 5060, 101, U, &e) == SIP400_TXN_REQUEST);
    static const char nocseq[] = "SIP/2.0 400 Bad CSeq Header\r\n" VIA("z9hG4bKb")
        "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=x\r\nCall-ID: l2@h\r\n"
        "Content-Length: 0\r\n\r\n";
    CHECK(feed_at(&t, nocseq, 4, 2, 1, 5060, 5060, 101.1, U, &e) == SIP400_TXN_FINAL && e && e->req_frame == 3);
    CHECK(t.last_link == SIP400_LINK_BRANCH);
    /* the same branch from another sent-by is another client's transaction */
    static const char other_sb[] = "SIP/2.0 400 Bad CSeq Header\r\n"
        "Via: SIP/2.0/UDP 198.51.100.9:5060;branch=z9hG4bKb\r\nCall-ID: l2@h\r\n\r\n";
    CHECK(feed_at(&t, other_sb, 5, 2, 1, 5060, 5060, 101.2, U, &e) == SIP400_TXN_ORPHAN);

    /* no Via and no CSeq: Call-ID + From tag, to an open transaction only */
    CHECK(feed_at(&t, REQ("MESSAGE", "z9hG4bKc", "l3@h", "x MESSAGE"), 6, 1, 2, 5060, 5060, 102, U, &e) ==
          SIP400_TXN_REQUEST);
    static const char tagonly[] = "SIP/2.0 400 Bad request\r\nFrom: <sip:alice@example.com>;tag=1\r\n"
        "To: <sip:bob@example.com>\r\nCall-ID: l3@h\r\nContent-Length: 0\r\n\r\n";
    CHECK(feed_at(&t, tagonly, 7, 2, 1, 5060, 5060, 102.1, U, &e) == SIP400_TXN_FINAL && e && e->req_frame == 6);
    CHECK(t.last_link == SIP400_LINK_CALLID_TAG && sip400_txn_link_weak(t.last_link));
    /* a second one finds the transaction answered: no weak link to it */
    CHECK(feed_at(&t, tagonly, 8, 2, 1, 5060, 5060, 102.2, U, &e) == SIP400_TXN_ORPHAN && e == NULL);

    /* nothing but the addresses: the nearest open request of that client */
    static const char bare[] = "SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    CHECK(feed_at(&t, REQ("OPTIONS", "z9hG4bKd", "l4@h", "1 OPTIONS"), 9, 3, 2, 5070, 5060, 103, U, &e) ==
          SIP400_TXN_REQUEST);
    CHECK(feed_at(&t, REQ("OPTIONS", "z9hG4bKe", "l5@h", "1 OPTIONS"), 10, 1, 2, 5060, 5060, 104, U, &e) ==
          SIP400_TXN_REQUEST);
    /* to client .3 from the server's port: frame 9, not the newer frame 10 of .1 */
    CHECK(feed_at(&t, bare, 11, 2, 3, 5060, 5070, 104.1, U, &e) == SIP400_TXN_FINAL && e && e->req_frame == 9);
    CHECK(t.last_link == SIP400_LINK_ADDRESSES);
    /* from another server port: not this transaction */
    CHECK(feed_at(&t, bare, 12, 2, 1, 5099, 5060, 104.2, U, &e) == SIP400_TXN_ORPHAN);
    /* after the transaction's life (64*T1 = 32 s): no link */
    CHECK(feed_at(&t, bare, 13, 2, 1, 5060, 5060, 104 + SIP400_TXN_WEAK_WINDOW + 1, U, &e) == SIP400_TXN_ORPHAN);
    CHECK(feed_at(&t, bare, 14, 2, 1, 5060, 5060, 105, U, &e) == SIP400_TXN_FINAL && e && e->req_frame == 10);

    /* TCP: the same connection, i.e. the port pair reversed */
    CHECK(feed_at(&t, REQ("OPTIONS", "z9hG4bKf", "l6@h", "1 OPTIONS"), 15, 1, 2, 40000, 5060, 106, T, &e) ==
          SIP400_TXN_REQUEST);
    CHECK(feed_at(&t, bare, 16, 2, 1, 5060, 40001, 106.1, T, &e) == SIP400_TXN_ORPHAN);
    CHECK(feed_at(&t, bare, 17, 2, 1, 5060, 40000, 106.1, U, &e) == SIP400_TXN_ORPHAN); /* other transport */
    CHECK(feed_at(&t, bare, 18, 2, 1, 5060, 40000, 106.2, T, &e) == SIP400_TXN_FINAL && e && e->req_frame == 15);
    sip400_txn_table_free(&t);
}

int main(void)
{
    test_basic();
    test_cancel();
    test_ack_2xx();
    test_hops();
    test_broken();
    test_eviction();
    test_key();
    test_links();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
