package org.parley.conference;

/**
 * What a member may do in a room. The creator is an administrator (PP-39); administrators manage
 * the room and its members (PP-26, PP-40, PP-41). Everybody else — invited or joined — is a
 * member with limited privileges (UC 5.9): send to all, send privately, list, leave.
 */
public enum Role {
    ADMINISTRATOR, MEMBER
}
