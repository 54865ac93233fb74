package org.parley.bench;

/**
 * The {@code --help} of the CPU harnesses: each is a command an engineer runs by hand, so each says
 * how it is called and what it prints rather than failing on the flag as a number.
 */
final class Usage {
    private Usage() {
    }

    /** Prints the usage and returns true when the arguments ask for it ({@code --help} or {@code -h}). */
    static boolean asked(String[] args, Class<?> harness, String arguments, String what) {
        if (args.length == 0 || !(args[0].equals("--help") || args[0].equals("-h"))) {
            return false;
        }
        System.out.printf("usage: java -cp \"bench/target/classes:bench/target/lib/*\" %s %s%n%n%s%n",
                harness.getName(), arguments, what);
        return true;
    }
}
