package org.parley.http;

/** Thrown by a handler to end the request with a problem document. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of("bad-request", "Bad Request", 400, detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of("not-found", "Not Found", 404, detail));
    }

    /** The caller is known but may not do this (a user touching operator settings). */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of("forbidden", "Forbidden", 403, detail));
    }

    public Problem problem() {
        return problem;
    }
}
