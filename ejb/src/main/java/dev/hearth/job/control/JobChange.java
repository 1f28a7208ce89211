package dev.hearth.job.control;

/**
 * A CDI event: a stream job appeared in the runtime (an application deployed it) or left it (its application was
 * undeployed). Fired synchronously by the runtime, from the deploying application's thread; observers must not
 * call back into the runtime's lifecycle methods.
 *
 * @param job      the job's name
 * @param deployed true when it appeared, false when it left
 */
public record JobChange(String job, boolean deployed) {
}
