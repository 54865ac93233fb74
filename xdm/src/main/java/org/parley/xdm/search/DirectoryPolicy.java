package org.parley.xdm.search;

/**
 * The operator's confinement of directory search (Add Contact reqs: "the service provider's
 * policy could prohibit searches on children under the age of 18").
 *
 * @param minimumAge          users younger than this are never found, nor users whose age is
 *                            unknown while it is above 0
 * @param searchableByDefault whether a user whose profile says nothing either way can be found
 * @param maxResults          the most hits one search returns
 */
public record DirectoryPolicy(int minimumAge, boolean searchableByDefault, int maxResults) {
    public DirectoryPolicy {
        if (minimumAge < 0 || minimumAge > 150) {
            throw new IllegalArgumentException("minimum age must be 0 to 150, was " + minimumAge);
        }
        if (maxResults < 1) {
            throw new IllegalArgumentException("max results must be at least 1, was " + maxResults);
        }
    }

    /** Adults only, opt-in, 50 hits. */
    public static DirectoryPolicy defaults() {
        return new DirectoryPolicy(18, false, 50);
    }
}
