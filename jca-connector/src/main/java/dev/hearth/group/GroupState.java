package dev.hearth.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic consumer group, with Kafka's names for them ({@link #displayName()} is what
 * ListGroups and DescribeGroups report) and Kafka's transition rules.
 *
 * <pre>
 *           join              every member joined, or rebalance timeout
 *   EMPTY ────────▶ PREPARING_REBALANCE ──────────────────────────────▶ COMPLETING_REBALANCE
 *     ▲               │    ▲    ▲                                             │        │
 *     └───────────────┘    │    └──── join, leave, expiry, sync timeout ───────┘        │ leader's
 *      nobody (re)joined   │                                                            ▼ SyncGroup
 *                          └───────── join, leave, expiry, sync timeout ─────────── STABLE
 *
 *   any state ──▶ DEAD   (DeleteGroups of an EMPTY group, or cleanup of an EMPTY group without offsets)
 * </pre>
 */
public enum GroupState {

    /** No members; the group may still hold committed offsets. */
    EMPTY("Empty"),
    /** Waiting for every member to (re)join. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Every member has joined; waiting for the leader's assignment. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment. */
    STABLE("Stable"),
    /** Removed from the coordinator; requests must look the group up again. */
    DEAD("Dead");

    private final String displayName;

    GroupState(String displayName) {
        this.displayName = displayName;
    }

    /** Kafka's name of the state, for example {@code PreparingRebalance}. */
    public String displayName() {
        return displayName;
    }

    /** A join, leave or member expiry in this state starts a new rebalance. */
    public boolean canRebalance() {
        return this == EMPTY || this == COMPLETING_REBALANCE || this == STABLE;
    }

    /** Whether a group may move from {@code previous} to this state. */
    public boolean canFollow(GroupState previous) {
        return validPrevious().contains(previous);
    }

    private Set<GroupState> validPrevious() {
        return switch (this) {
            case EMPTY, COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(EMPTY, COMPLETING_REBALANCE, STABLE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.allOf(GroupState.class);
        };
    }

    /** The state of Kafka name {@code displayName}. */
    public static GroupState forDisplayName(String displayName) {
        for (GroupState state : values()) {
            if (state.displayName.equals(displayName)) {
                return state;
            }
        }
        throw new IllegalArgumentException("No group state is called '" + displayName + "'");
    }
}
