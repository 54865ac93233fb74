package org.parley.msrp.sdp;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The RFC 5547 attributes of an MSRP stream that offers or asks for a file: the selector, the id
 * that tells a new transfer from a re-offer of the same one (§8.1), how to show it, its dates,
 * and the octets a resumed transfer sends.
 */
public record FileTransfer(FileSelector selector, Optional<String> transferId, Optional<String> disposition,
                           Optional<FileDate> date, Optional<FileRange> range) {
    public static FileTransfer of(FileSelector selector, String transferId) {
        return new FileTransfer(selector, Optional.of(transferId), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The size of the whole file: the selector's, else at least the end of the range; empty when neither says. */
    public OptionalLong fileSize() {
        if (selector.size().isPresent()) {
            return selector.size();
        }
        return range.filter(r -> r.stop() != FileRange.UNKNOWN).map(r -> OptionalLong.of(r.stop()))
                .orElse(OptionalLong.empty());
    }

    /** The octets this transfer actually sends: the range's (RFC 5547 §6), else the whole file; empty when unknown. */
    public OptionalLong octetsSent() {
        return range.map(r -> r.octets(selector.size())).orElse(selector.size());
    }

    /** Only part of the file goes (a resumed transfer): a range that is not the whole file. */
    public boolean partial() {
        return range.isPresent() && !range.get().whole(selector.size());
    }
}
