package dev.hearth.connector.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;

import dev.hearth.security.AclStore;

/**
 * The Kafka cluster's own ACLs as Hearth's {@link AclStore} ({@code hearth.backend=kafka}): Hearth reaches the
 * cluster as one service principal, and its HTTP users, message-driven beans and jobs are held to the ACLs the
 * cluster holds for them, so one set governs Kafka clients and Hearth alike. {@link #load} is DescribeAcls; a change
 * made through Hearth (REST, console, configured roles) is CreateAcls/DeleteAcls of the difference. The adapter
 * reloads the snapshot every few seconds, so ACLs changed with the cluster's own tools ({@code kafka-acls}) take
 * effect in Hearth within that time.
 *
 * <p>Thread-safety: the admin client is thread-safe; calls block up to {@value #TIMEOUT_MS} ms.
 */
public final class ClusterAclStore implements AclStore {

    private static final long TIMEOUT_MS = 15_000;

    private final Admin admin;

    public ClusterAclStore(Admin admin) {
        this.admin = admin;
    }

    /**
     * Whether Hearth can use the cluster's ACLs: DescribeAcls answers. Not when the cluster has no authorizer (it
     * keeps no ACLs) or Hearth's principal may not describe them; Hearth then keeps its own in the data directory.
     */
    public boolean clusterHasAcls() {
        try {
            load();
            return true;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SecurityDisabledException || e.getCause() instanceof AuthorizationException) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<AclBinding> load() {
        return List.copyOf(await(() -> admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT_MS,
                TimeUnit.MILLISECONDS), "read the cluster's ACLs"));
    }

    @Override
    public void replace(List<AclBinding> previous, List<AclBinding> next) {
        Set<AclBinding> created = new LinkedHashSet<>(next);
        previous.forEach(created::remove);
        Set<AclBinding> deleted = new LinkedHashSet<>(previous);
        next.forEach(deleted::remove);
        if (!created.isEmpty()) {
            await(() -> admin.createAcls(List.copyOf(created)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS),
                    "create ACLs on the cluster");
        }
        if (!deleted.isEmpty()) {
            List<AclBindingFilter> filters = new ArrayList<>();
            deleted.forEach(binding -> filters.add(binding.toFilter()));
            await(() -> admin.deleteAcls(filters).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS),
                    "delete ACLs on the cluster");
        }
    }

    private interface Call<T> {
        T run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static <T> T await(Call<T> call, String what) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + TIMEOUT_MS + " ms", e);
        }
    }
}
