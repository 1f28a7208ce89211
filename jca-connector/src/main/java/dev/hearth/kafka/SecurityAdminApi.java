package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import dev.hearth.security.AclAuthorizer;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.ScramUserStore;
import dev.hearth.security.UserNames;

/**
 * Kafka's ACL APIs (CreateAcls, DescribeAcls, DeleteAcls) over {@link AclAuthorizer} and its SCRAM user APIs
 * (DescribeUserScramCredentials, AlterUserScramCredentials) over {@link ScramUserStore}: what {@code kafka-acls}
 * and {@code kafka-configs --entity-type users} drive. Authorization as Kafka's broker: DESCRIBE on the cluster
 * to read, ALTER on the cluster to change (CLUSTER_AUTHORIZATION_FAILED otherwise, nothing changed). Each change
 * is recorded in {@link KafkaAuditTopic} (CREATE_ACLS / DELETE_ACLS per binding, ALTER_USER / DELETE_USER per
 * credential) before the answer. Passwords never reach Hearth: clients send salted passwords.
 *
 * <p>Thread-safe: the stores serialize changes themselves.
 */
final class SecurityAdminApi {

    private final HearthSecurity security;
    private final KafkaAuditTopic audit;

    SecurityAdminApi(HearthSecurity security, KafkaAuditTopic audit) {
        this.security = security;
        this.audit = audit;
    }

    AbstractResponse describeAcls(RequestAuthorizer.Caller caller, AbstractRequest request) {
        if (!caller.mayOnCluster(AclOperation.DESCRIBE)) {
            return request.getErrorResponse(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        AclBindingFilter filter = ((DescribeAclsRequest) request).filter();
        List<AclBinding> bindings = security.acls().acls(filter);
        return new DescribeAclsResponse(new DescribeAclsResponseData()
                .setResources(DescribeAclsResponse.aclsResources(bindings)), request.version());
    }

    AbstractResponse createAcls(RequestAuthorizer.Caller caller, AbstractRequest request) {
        if (!caller.mayOnCluster(AclOperation.ALTER)) {
            return request.getErrorResponse(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        List<CreateAclsRequestData.AclCreation> creations = ((CreateAclsRequest) request).aclCreations();
        List<AclBinding> bindings = new ArrayList<>(creations.size());
        List<CreateAclsResponseData.AclCreationResult> results = new ArrayList<>(creations.size());
        List<AclBinding> valid = new ArrayList<>();
        for (CreateAclsRequestData.AclCreation creation : creations) {
            AclBinding binding;
            try {
                binding = CreateAclsRequest.aclBinding(creation);
            } catch (IllegalArgumentException e) {
                binding = null; // an unknown enum code: refused below
            }
            bindings.add(binding);
            if (binding != null && !binding.isUnknown()) {
                valid.add(binding);
            }
        }
        List<Optional<String>> problems = security.acls().create(valid);
        int next = 0;
        for (AclBinding binding : bindings) {
            CreateAclsResponseData.AclCreationResult result = new CreateAclsResponseData.AclCreationResult();
            if (binding == null || binding.isUnknown()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Invalid ACL: unknown type or operation");
            } else {
                Optional<String> problem = problems.get(next++);
                if (problem.isPresent()) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(problem.get());
                } else {
                    audit.record(caller, "CREATE_ACLS", "acl", resourceName(binding), describe(binding));
                }
            }
            results.add(result);
        }
        return new CreateAclsResponse(new CreateAclsResponseData().setResults(results));
    }

    AbstractResponse deleteAcls(RequestAuthorizer.Caller caller, AbstractRequest request) {
        if (!caller.mayOnCluster(AclOperation.ALTER)) {
            return request.getErrorResponse(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        List<AclBindingFilter> filters = ((DeleteAclsRequest) request).filters();
        List<List<AclBinding>> removed = security.acls().delete(filters);
        List<DeleteAclsResponseData.DeleteAclsFilterResult> results = new ArrayList<>(filters.size());
        for (List<AclBinding> bindings : removed) {
            DeleteAclsResponseData.DeleteAclsFilterResult result = new DeleteAclsResponseData.DeleteAclsFilterResult();
            for (AclBinding binding : bindings) {
                result.matchingAcls().add(DeleteAclsResponse.matchingAcl(binding, ApiError.NONE));
                audit.record(caller, "DELETE_ACLS", "acl", resourceName(binding), describe(binding));
            }
            results.add(result);
        }
        return new DeleteAclsResponse(new DeleteAclsResponseData().setFilterResults(results), request.version());
    }

    /** {@code TOPIC:LITERAL:orders}: the audit entry's resource name for a binding. */
    private static String resourceName(AclBinding binding) {
        return binding.pattern().resourceType() + ":" + binding.pattern().patternType() + ":"
                + binding.pattern().name();
    }

    /** {@code ALLOW User:alice READ from *}: the audit entry's detail. */
    private static String describe(AclBinding binding) {
        return binding.entry().permissionType() + " " + binding.entry().principal() + " "
                + binding.entry().operation() + " from " + binding.entry().host();
    }

    /**
     * DescribeClientQuotas, which {@code kafka-configs --describe --entity-type users} sends before it describes SCRAM
     * credentials: Hearth enforces no client quotas, so the answer is none, to a caller with DESCRIBE_CONFIGS on the
     * cluster (as Kafka authorizes it).
     */
    AbstractResponse describeClientQuotas(RequestAuthorizer.Caller caller, AbstractRequest request) {
        if (!caller.mayOnCluster(AclOperation.DESCRIBE_CONFIGS)) {
            return request.getErrorResponse(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        return new DescribeClientQuotasResponse(new DescribeClientQuotasResponseData().setEntries(List.of()));
    }

    AbstractResponse describeUserScramCredentials(RequestAuthorizer.Caller caller, AbstractRequest request) {
        if (!caller.mayOnCluster(AclOperation.DESCRIBE)) {
            return request.getErrorResponse(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        DescribeUserScramCredentialsRequestData requested = ((DescribeUserScramCredentialsRequest) request).data();
        Map<String, Map<ScramMechanism, Integer>> users = security.users().describe();
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        List<String> names;
        Set<String> duplicates = new LinkedHashSet<>();
        boolean all = requested.users() == null || requested.users().isEmpty();
        if (all) {
            names = new ArrayList<>(users.keySet());
        } else {
            names = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (DescribeUserScramCredentialsRequestData.UserName user : requested.users()) {
                if (!seen.add(user.name())) {
                    duplicates.add(user.name());
                }
            }
            names.addAll(seen);
        }
        for (String name : names) {
            DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult result =
                    new DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult().setUser(name);
            Map<ScramMechanism, Integer> credentials = users.get(name);
            if (duplicates.contains(name)) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                        .setErrorMessage("Cannot describe SCRAM credentials for the same user twice in a single request: "
                                + name);
            } else if (credentials == null || credentials.isEmpty()) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to describe a user credential that does not exist: " + name);
            } else {
                credentials.forEach((mechanism, iterations) -> result.credentialInfos().add(
                        new DescribeUserScramCredentialsResponseData.CredentialInfo()
                                .setMechanism(mechanism.type()).setIterations(iterations)));
            }
            response.results().add(result);
        }
        return new DescribeUserScramCredentialsResponse(response);
    }

    /**
     * Applies a user's deletions and upsertions only when all of them are valid (Kafka's per-user outcome):
     * a known mechanism, iterations within the mechanism's bounds (4096 to 16384, as Kafka), a salt and a salted
     * password, a valid user name, no two changes of one user's mechanism, and deletions of credentials that exist.
     */
    AbstractResponse alterUserScramCredentials(RequestAuthorizer.Caller caller, AbstractRequest request) {
        AlterUserScramCredentialsRequestData requested = ((AlterUserScramCredentialsRequest) request).data();
        Map<String, ApiError> errors = new LinkedHashMap<>();
        requested.deletions().forEach(deletion -> errors.put(deletion.name(), ApiError.NONE));
        requested.upsertions().forEach(upsertion -> errors.put(upsertion.name(), ApiError.NONE));
        if (!caller.mayOnCluster(AclOperation.ALTER)) {
            errors.replaceAll((user, error) -> new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED, null));
            return alterResponse(errors);
        }
        ScramUserStore store = security.users();
        Map<String, Set<ScramMechanism>> touched = new HashMap<>();
        for (AlterUserScramCredentialsRequestData.ScramCredentialDeletion deletion : requested.deletions()) {
            ScramMechanism mechanism = mechanism(deletion.mechanism());
            errors.computeIfPresent(deletion.name(), (user, error) -> error.isFailure() ? error
                    : mechanism == null ? unsupported()
                    : !touched.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(mechanism) ? twice()
                    : store.credential(user, mechanism).isEmpty()
                    ? new ApiError(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist")
                    : ApiError.NONE);
        }
        for (AlterUserScramCredentialsRequestData.ScramCredentialUpsertion upsertion : requested.upsertions()) {
            ScramMechanism mechanism = mechanism(upsertion.mechanism());
            errors.computeIfPresent(upsertion.name(), (user, error) -> error.isFailure() ? error
                    : mechanism == null ? unsupported()
                    : !touched.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(mechanism) ? twice()
                    : upsertionProblem(user, mechanism, upsertion));
        }
        for (AlterUserScramCredentialsRequestData.ScramCredentialDeletion deletion : requested.deletions()) {
            if (!errors.get(deletion.name()).isFailure()) {
                ScramMechanism mechanism = mechanism(deletion.mechanism());
                store.delete(deletion.name(), mechanism);
                audit.record(caller, "DELETE_USER", "user", deletion.name(), mechanism.mechanismName());
            }
        }
        for (AlterUserScramCredentialsRequestData.ScramCredentialUpsertion upsertion : requested.upsertions()) {
            if (!errors.get(upsertion.name()).isFailure()) {
                ScramMechanism mechanism = mechanism(upsertion.mechanism());
                ScramCredential credential = ScramUserStore.fromSaltedPassword(mechanism, upsertion.salt(),
                        upsertion.saltedPassword(), upsertion.iterations());
                store.put(upsertion.name(), mechanism, credential);
                audit.record(caller, "ALTER_USER", "user", upsertion.name(),
                        mechanism.mechanismName() + " iterations=" + upsertion.iterations());
            }
        }
        return alterResponse(errors);
    }

    private static ApiError upsertionProblem(String user, ScramMechanism mechanism,
                                             AlterUserScramCredentialsRequestData.ScramCredentialUpsertion upsertion) {
        if (user == null || user.isEmpty()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        try {
            UserNames.validate(user);
        } catch (IllegalArgumentException e) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, e.getMessage());
        }
        if (upsertion.iterations() < mechanism.minIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (upsertion.iterations() > mechanism.maxIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        if (upsertion.salt() == null || upsertion.salt().length == 0 || upsertion.saltedPassword() == null
                || upsertion.saltedPassword().length == 0) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "A salt and a salted password are required");
        }
        return ApiError.NONE;
    }

    private static ApiError unsupported() {
        return new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
    }

    private static ApiError twice() {
        return new ApiError(Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
    }

    private static ScramMechanism mechanism(byte type) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (mechanism.type() == type) {
                return mechanism;
            }
        }
        return null;
    }

    private static AbstractResponse alterResponse(Map<String, ApiError> errors) {
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        errors.forEach((user, error) -> response.results().add(
                new AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult()
                        .setUser(user).setErrorCode(error.error().code()).setErrorMessage(error.message())));
        return new AlterUserScramCredentialsResponse(response);
    }
}
