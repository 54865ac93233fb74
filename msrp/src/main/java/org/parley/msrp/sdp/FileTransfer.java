package org.parley.msrp.sdp;

import java.util.Optional;

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
}
