package dev.hearth.security;

/** What a user name may be: 1 to 255 characters, none of them a control character. Same for Kafka and HTTP. */
public final class UserNames {

    static final int MAX_LENGTH = 255;

    private UserNames() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the name */
    public static void validate(String user) {
        if (user == null || user.isEmpty() || user.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("A user name has 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < user.length(); i++) {
            if (Character.isISOControl(user.charAt(i))) {
                throw new IllegalArgumentException("A user name has no control characters");
            }
        }
    }
}
