package org.parley.xdm.xcap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.xcap.XcapOperationsTest.DOC;
import static org.parley.xdm.xcap.XcapOperationsTest.INITIAL;
import static org.parley.xdm.xcap.XcapOperationsTest.LISTS;
import static org.parley.xdm.xcap.XcapTestServer.put;

/** ETags, conditional requests, concurrent writers and who may reach which documents. */
@DisplayName("RFC 4825 §7.11 / §8.5 ETags and conditional requests, concurrent writers, access control (C4, GS-1)")
class XcapConditionsAndAccessTest {
    private final XcapTestServer http = new XcapTestServer();

    @AfterEach
    void stop() {
        http.close();
    }

    private String create() {
        return http.send(put(http.alice(DOC), LISTS, INITIAL)).headers().firstValue("ETag").orElseThrow();
    }

    @Test
    @DisplayName("If-Match with a stale ETag is 412 for PUT and DELETE; If-None-Match: * refuses to overwrite")
    void staleEtag() {
        String first = create();
        String second = http.send(put(http.alice(DOC).header("If-Match", first), LISTS, INITIAL.replace("Bob", "B")))
                .headers().firstValue("ETag").orElseThrow();
        assertThat(http.send(put(http.alice(DOC).header("If-Match", first), LISTS, INITIAL)).statusCode()).isEqualTo(412);
        assertThat(http.send(http.alice(DOC).header("If-Match", first).DELETE()).statusCode()).isEqualTo(412);
        assertThat(http.send(put(http.alice(DOC).header("If-None-Match", "*"), LISTS, INITIAL)).statusCode()).isEqualTo(412);
        assertThat(http.send(http.alice(DOC).GET()).headers().firstValue("ETag")).hasValue(second);
        assertThat(http.send(http.alice(DOC).header("If-Match", second).DELETE()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("GET with a matching If-None-Match is 304; element GETs carry the document's ETag")
    void notModified() {
        String etag = create();
        HttpResponse<String> cached = http.send(http.alice(DOC).header("If-None-Match", etag).GET());
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.headers().firstValue("ETag")).hasValue(etag);
        assertThat(http.send(http.alice(DOC).header("If-None-Match", "\"other\"").GET()).statusCode()).isEqualTo(200);
        assertThat(http.send(http.alice(DOC + "/~~/resource-lists/list").GET()).headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    @DisplayName("two writers with the same If-Match: exactly one succeeds, the other gets 412, the stored document is the winner's")
    void concurrentWriters() throws Exception {
        for (int round = 0; round < 10; round++) {
            String etag = create();
            List<String> bodies = List.of(INITIAL.replace("Bob", "Writer A"), INITIAL.replace("Bob", "Writer B"));
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> writers = new ArrayList<>();
            for (String body : bodies) {
                writers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return http.send(put(http.alice(DOC).header("If-Match", etag), LISTS, body));
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            String winner = null;
            for (int i = 0; i < 2; i++) {
                int status = writers.get(i).get().statusCode();
                statuses.add(status);
                winner = status == 200 ? bodies.get(i) : winner;
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
            assertThat(http.send(http.alice(DOC).GET()).body()).isEqualTo(winner);
        }
    }

    @Test
    @DisplayName("alice cannot read or write bob's documents (403); the admin token can; every change reaches the listeners")
    void accessControl() {
        List<String> changes = new CopyOnWriteArrayList<>();
        http.xcap.addListener((where, oldEtag, newEtag) -> changes.add(where.xui() + " " + (oldEtag != null) + " " + (newEtag != null)));
        String bobs = "/resource-lists/users/sip:bob@example.org/index";
        assertThat(http.send(put(http.admin(bobs), LISTS, INITIAL)).statusCode()).isEqualTo(201);
        assertThat(http.send(http.alice(bobs).GET()).statusCode()).isEqualTo(403);
        assertThat(http.send(put(http.alice(bobs), LISTS, INITIAL)).statusCode()).isEqualTo(403);
        assertThat(http.send(http.alice(bobs).DELETE()).statusCode()).isEqualTo(403);
        assertThat(http.send(http.as("bob", "bob-password", bobs).GET()).body()).isEqualTo(INITIAL);
        assertThat(http.send(http.admin(bobs).GET()).statusCode()).isEqualTo(200);
        assertThat(http.send(http.as("alice", "wrong-password", DOC).GET()).statusCode()).isEqualTo(401);
        assertThat(http.send(http.admin(bobs).DELETE()).statusCode()).isEqualTo(200);
        assertThat(changes).containsExactly("sip:bob@example.org false true", "sip:bob@example.org true false");
    }
}
