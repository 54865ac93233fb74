package org.parley.presence;

/** The presentity's decision about one watcher: how to handle the subscription and what it may see. */
record Authorisation(SubHandling handling, Transformations transformations) {
    /** RFC 5025 leaves "no rule applies" to the server; asking the presentity (reactive authorisation) it is. */
    static final Authorisation UNDECIDED = new Authorisation(SubHandling.CONFIRM, Transformations.NOTHING);
    /** A presentity watching itself sees everything. */
    static final Authorisation OWNER = new Authorisation(SubHandling.ALLOW, Transformations.EVERYTHING);
}
