/**
 * How an application's stream jobs reach Hearth. {@link dev.hearth.job.deployment.StreamJobExtension}, a CDI
 * extension that the resource adapter's copy of this jar offers to every application, finds the
 * {@link dev.hearth.job.api.StreamJob} methods of the application being deployed, defines each job on that
 * application's deployment thread and registers it with {@link dev.hearth.job.deployment.StreamJobRegistry}; Hearth's
 * job runtime runs what is registered. Undeploying the application withdraws its jobs, and returns only once they
 * stopped. Applications do not use this package directly.
 */
package dev.hearth.job.deployment;
