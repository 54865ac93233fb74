package org.parley.msrp.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.msrp.MsrpUri;

/** The SDP of MSRP sessions (RFC 4566, RFC 4975 §8, RFC 5547): offers and answers read and written, bad ones refused. */
class SessionDescriptionTest {
    // RFC 4975 §7.1 style offer, through a relay
    private static final String OFFER = """
            v=0\r
            o=alice 2890844526 2890844527 IN IP4 alice.example.com\r
            s=-\r
            c=IN IP4 alice.example.com\r
            t=0 0\r
            m=message 7654 TCP/TLS/MSRP *\r
            a=accept-types:message/cpim text/plain text/html\r
            a=accept-wrapped-types:text/plain image/*\r
            a=max-size:131072\r
            a=setup:active\r
            a=path:msrps://relay.example.com:2855/kjhd37s2s20w2a;tcp msrps://alice.example.com:7654/jshA7weztas;tcp\r
            """;

    // RFC 5547 §10.1 style file offer
    private static final String FILE_OFFER = """
            v=0\r
            o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r
            s=-\r
            c=IN IP4 host.atlanta.example.com\r
            t=0 0\r
            m=message 7654 TCP/MSRP *\r
            i=This is my latest picture\r
            a=sendonly\r
            a=accept-types:message/cpim\r
            a=accept-wrapped-types:*\r
            a=path:msrp://atlanta.example.com:7654/jshA7we;tcp\r
            a=file-selector:name:"My cool picture.jpg" type:image/jpeg size:32349 hash:sha-1:72:24:5F:E8:65:3D:DA:F3:71:36:2F:86:D4:71:91:3E:E4:A2:CE:2E\r
            a=file-transfer-id:vBnG916bdberum2fFEABR1FR3ExZMUrd\r
            a=file-disposition:attachment\r
            a=file-date:creation:"Mon, 15 May 2006 15:01:31 +0300"\r
            a=file-icon:cid:id2@alicepc.example.com\r
            a=file-range:1-32349\r
            """;

    private static SessionDescription parse(String text) throws MalformedSdp {
        return SessionDescription.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("RFC 4975 §8: a chat offer through a relay is read: TLS, path relay first, accept types, max-size, setup")
    void chatOffer() throws MalformedSdp {
        SessionDescription sdp = parse(OFFER);
        assertThat(sdp.origin().username()).isEqualTo("alice");
        assertThat(sdp.origin().version()).isEqualTo(2890844527L);
        MsrpMedia chat = sdp.chat();
        assertThat(chat.tls()).isTrue();
        assertThat(chat.port()).isEqualTo(7654);
        assertThat(chat.formats()).containsExactly("*");
        assertThat(chat.connection()).isEqualTo(new Connection("IP4", "alice.example.com"));
        assertThat(chat.path()).containsExactly(MsrpUri.parse("msrps://relay.example.com:2855/kjhd37s2s20w2a;tcp")
                .orElseThrow(), MsrpUri.parse("msrps://alice.example.com:7654/jshA7weztas;tcp").orElseThrow());
        assertThat(chat.endpoint().sessionId()).isEqualTo("jshA7weztas");
        assertThat(chat.acceptTypes()).containsExactly("message/cpim", "text/plain", "text/html");
        assertThat(chat.acceptWrappedTypes()).containsExactly("text/plain", "image/*");
        assertThat(chat.maxSize()).hasValue(131072);
        assertThat(chat.setup()).contains(MsrpMedia.Setup.ACTIVE);
        assertThat(chat.direction()).isEqualTo(MsrpMedia.Direction.SENDRECV);
        assertThat(chat.file()).isEmpty();
    }

    @Test
    @DisplayName("RFC 5547 §5, §8: a file offer is read: sendonly, selector with quoted name and hash, id, disposition, date, range; unknown attributes kept")
    void fileOffer() throws MalformedSdp {
        MsrpMedia m = parse(FILE_OFFER).chat();
        assertThat(m.tls()).isFalse();
        assertThat(m.direction()).isEqualTo(MsrpMedia.Direction.SENDONLY);
        FileTransfer f = m.file().orElseThrow();
        assertThat(f.selector().name()).contains("My cool picture.jpg");
        assertThat(f.selector().type()).contains("image/jpeg");
        assertThat(f.selector().size()).hasValue(32349);
        assertThat(f.selector().hash("SHA-1").orElseThrow().value())
                .isEqualTo(HexFormat.of().parseHex("72245FE8653DDAF371362F86D471913EE4A2CE2E"));
        assertThat(f.transferId()).contains("vBnG916bdberum2fFEABR1FR3ExZMUrd");
        assertThat(f.disposition()).contains("attachment");
        assertThat(f.date().orElseThrow().creation()).contains("Mon, 15 May 2006 15:01:31 +0300");
        assertThat(f.range()).contains(new FileRange(1, 32349));
        assertThat(m.others()).containsExactly(new SdpAttribute("file-icon", "cid:id2@alicepc.example.com"));
    }

    @Test
    @DisplayName("RFC 4566 §5, RFC 4975 §8: what is written reads back the same (chat and file offers, bare LF accepted)")
    void roundTrip() throws MalformedSdp {
        for (String text : List.of(OFFER, FILE_OFFER, OFFER.replace("\r\n", "\n"))) {
            SessionDescription first = parse(text);
            SessionDescription again = parse(first.write());
            assertThat(again.chat()).isEqualTo(first.chat());
            assertThat(again.origin()).isEqualTo(first.origin());
            assertThat(again.write()).isEqualTo(first.write());
        }
    }

    @Test
    @DisplayName("RFC 3264 §6, RFC 5547 §8.2: an answer written by the model: recvonly to a sendonly file offer, its own path, name with quotes and % encoded")
    void writeAnswer() throws MalformedSdp {
        FileSelector selector = new FileSelector(Optional.of("50% \"off\".pdf"), Optional.of("application/pdf"),
                OptionalLong.of(1000), List.of(new FileSelector.Hash("sha-256", new byte[] {1, 2, (byte) 0xFE})));
        MsrpUri me = MsrpUri.parse("msrp://127.0.0.1:2855/abc;tcp").orElseThrow();
        MsrpMedia answer = MsrpMedia.chat(9, false, Connection.of("127.0.0.1"), List.of(me), List.of("*"))
                .withDirection(MsrpMedia.Direction.SENDONLY.answer())
                .withFile(Optional.of(FileTransfer.of(selector, "t1")));
        String text = SessionDescription.of(new Origin("parley", "1", 1, Connection.of("127.0.0.1")), answer).write();
        assertThat(text).contains("m=message 9 TCP/MSRP *\r\n", "c=IN IP4 127.0.0.1\r\n", "a=recvonly\r\n",
                "a=file-selector:name:\"50%25 %22off%22.pdf\" type:application/pdf size:1000 hash:sha-256:01:02:FE\r\n",
                "a=path:msrp://127.0.0.1:2855/abc;tcp\r\n");
        MsrpMedia back = SessionDescription.parse(text).chat();
        assertThat(back).isEqualTo(answer);
        assertThat(back.file().orElseThrow().selector().name()).contains("50% \"off\".pdf");
    }

    @Test
    @DisplayName("RFC 4975 §8: an offer without an MSRP stream, or a refused one (port 0), has no chat: 488")
    void noChatStream() throws MalformedSdp {
        String audio = OFFER.replace("m=message 7654 TCP/TLS/MSRP *", "m=audio 49170 RTP/AVP 0");
        assertThat(parse(audio).msrp()).isEmpty();
        assertThatThrownBy(() -> parse(audio).chat()).isInstanceOf(MalformedSdp.class)
                .satisfies(e -> assertThat(((MalformedSdp) e).fault().sipStatus()).isEqualTo(488));
        assertThat(parse(OFFER.replace("m=message 7654", "m=message 0")).msrp()).isEmpty();
        assertThat(parse(OFFER).media().getFirst().refused().port()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "v=1\r\n",
            "x",
            "v=0\r\ns=-\r\n",
            "v=0\r\no=alice 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n",
            "v=0\r\no=alice one 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=\r\nt=0 0\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IPX a\r\nt=0 0\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nm=message 1 TCP/MSRP *\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message 70000 TCP/MSRP *\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message x TCP/MSRP *\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message 1 TCP/MSRP\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message 1  TCP/MSRP *\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message 1 TCP/MSRP *\r\ns=again\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=message 1 TCP/MSRP *\r\na=path:msrp://a:1/x;tcp\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\na=bad name\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nmissing equals\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nQ=upper\r\n",
            "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message 1 TCP/MSRP *\r\na=x\r\nc=IN IP4 b\r\n",
            "v=0\r\no=al\u0000ice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\n",
    })
    @DisplayName("RFC 4566 §5: a body that is not SDP is a syntax fault (400), never an exception of another kind")
    void syntaxFaults(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(MalformedSdp.class)
                .satisfies(e -> assertThat(((MalformedSdp) e).fault()).isEqualTo(MalformedSdp.Fault.SYNTAX))
                .hasMessageNotContaining("\r");
    }

    @Test
    @DisplayName("RFC 4566: a body over the size limit or not UTF-8 is refused before it is read")
    void hugeOrBinary() {
        byte[] huge = (OFFER + "a=x:" + "y".repeat(SessionDescription.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SessionDescription.parse(huge)).isInstanceOf(MalformedSdp.class);
        byte[] binary = OFFER.getBytes(StandardCharsets.UTF_8);
        binary[20] = (byte) 0xC3;
        binary[21] = (byte) 0x28;
        assertThatThrownBy(() -> SessionDescription.parse(binary)).isInstanceOf(MalformedSdp.class);
    }

    @Test
    @DisplayName("RFC 5547 §6: a resumed offer's a=file-range says which octets go (start-stop or to the end, '*'); the selector's size stays the whole file's")
    void fileRangeOctets() throws MalformedSdp {
        String head = "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\nm=message 7654 TCP/MSRP *\r\n"
                + "a=accept-types:*\r\na=sendonly\r\n";
        FileTransfer rest = parse(head + "a=file-selector:size:30000\r\na=file-range:10001-*\r\na=path:msrp://a:1/x;tcp\r\n")
                .chat().file().orElseThrow();
        assertThat(rest.octetsSent()).hasValue(20000);
        assertThat(rest.fileSize()).hasValue(30000);
        assertThat(rest.partial()).isTrue();
        FileTransfer middle = parse(head + "a=file-selector:name:\"a\"\r\na=file-range:101-200\r\na=path:msrp://a:1/x;tcp\r\n")
                .chat().file().orElseThrow();
        assertThat(middle.octetsSent()).hasValue(100);
        assertThat(middle.fileSize()).as("at least the end of the range").hasValue(200);
        FileTransfer whole = parse(head + "a=file-selector:size:300\r\na=file-range:1-300\r\na=path:msrp://a:1/x;tcp\r\n")
                .chat().file().orElseThrow();
        assertThat(whole.partial()).as("1-size is the whole file").isFalse();
        assertThat(whole.octetsSent()).hasValue(300);
        FileTransfer unknown = parse(head + "a=file-selector:name:\"a\"\r\na=file-range:5-*\r\na=path:msrp://a:1/x;tcp\r\n")
                .chat().file().orElseThrow();
        assertThat(unknown.octetsSent()).isEmpty();
        assertThat(unknown.fileSize()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "m=message 7654 RTP/AVP *|a=accept-types:text/plain|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain",
            "m=message 7654 TCP/MSRP *|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=path:http://a:1/x",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=path:msrp://a:1;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=path:msrp://a:1/x;tcp  msrp://b:1/y;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=path:msrp://a:1/x;tcp|a=path:msrp://a:1/y;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain;charset=utf-8|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=accept-wrapped-types:bad|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=max-size:-1|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=max-size:lots|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=setup:sideways|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=sendonly|a=recvonly|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:text/plain|a=sendonly:yes|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-transfer-id:abc|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:name:\"unterminated|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:name:bare|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:name:\"%zz\"|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:name:\"\"|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:-5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1 size:2|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:type:image|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:hash:sha-1:7|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:hash:sha-1:zz|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:hash:sha-1:01 hash:SHA-1:02|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:colour:red|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1  type:a/b|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-range:0-5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-range:9-5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-range:1|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-range:1-|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-range:-1|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:1-5-6|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:*-5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:1 - 5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:1-0x5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:1234567890123456789-*|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:9|a=file-range:1-5|a=file-range:6-9|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-range:1-5|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:30000|a=file-range:10001-30001|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:30000|a=file-range:30001-*|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:0|a=file-range:1-*|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-date:creation:today|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-date:read:\"a\" read:\"b\"|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-transfer-id:a b|a=path:msrp://a:1/x;tcp",
            "m=message 7654 TCP/MSRP *|a=accept-types:*|a=file-selector:size:1|a=file-disposition|a=path:msrp://a:1/x;tcp",
    })
    @DisplayName("RFC 4975 §8, RFC 5547 §9: valid SDP with an MSRP stream that breaks their rules is not acceptable (488) and the message says why")
    void notAcceptable(String media) {
        String text = "v=0\r\no=alice 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\n" + media.replace("|", "\r\n") + "\r\n";
        assertThatThrownBy(() -> parse(text).chat()).isInstanceOf(MalformedSdp.class)
                .satisfies(e -> assertThat(((MalformedSdp) e).fault().sipStatus()).isEqualTo(488))
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}
