package org.parley.sip.proxy;

/** A request on its way to one or more devices; it can be called off (CANCEL, §9.1). */
public interface Fork {
    void cancel();
}
