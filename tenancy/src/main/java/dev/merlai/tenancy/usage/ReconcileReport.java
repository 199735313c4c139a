package dev.merlai.tenancy.usage;

/**
 * What a reconcile found and did.
 *
 * @param records       usage records read from the store (the truth)
 * @param counted       records the counters had missed and now count (e.g. after Redis lost its data)
 * @param corrected     counter fields that disagreed with the truth after that, and were overwritten
 * @param differences   fields that still differ after the reconcile: 0 unless records arrived meanwhile
 */
public record ReconcileReport(long records, long counted, long corrected, long differences) {
}
