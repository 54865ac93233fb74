package org.parley.xdm.search;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One search result: the user id (XUI) and only the values the search was based on, as the
 * found user's profile has them (Add Contact reqs: "MUST NOT include anything else than username
 * and selected personal values"). The type has no field for a name or a number, so none can slip
 * in; fields not searched on are null and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectoryHit(String xui, Integer age, String gender, String intention, String city, String country,
                           String text) {
}
