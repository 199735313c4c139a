package dev.merlai.plugins;

import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a tenant told Merlai about plugins, durably in the object store: their preferences
 * ({@code tenants/<t>/plugins/preferences.json}) and every feedback event
 * ({@code tenants/<t>/plugins/feedback/<millis>-<uuid>.json}), from which the affinities cached in Redis can be
 * rebuilt at any time.
 */
public final class TenantPluginStore {

    private final ObjectStore store;

    public TenantPluginStore(ObjectStore store) {
        this.store = store;
    }

    static String folder(String tenant) {
        return "tenants/" + StorageLayout.checkName("tenant", tenant) + "/plugins/";
    }

    public Preferences preferences(String tenant) {
        return store.get(folder(tenant) + "preferences.json").map(json -> {
            try {
                return Preferences.fromJson(json);
            } catch (InvalidEntryException e) {
                throw new IllegalStateException("the stored preferences of " + tenant + " are unreadable: " + e.getMessage(), e);
            }
        }).orElse(Preferences.NONE);
    }

    public void savePreferences(String tenant, Preferences preferences) {
        store.put(folder(tenant) + "preferences.json", preferences.toJson(), "application/json");
    }

    /** Keeps the event; the key sorts by time, so a rebuild replays feedback in the order it was given. */
    public void append(Feedback feedback) {
        String key = String.format("%sfeedback/%013d-%s.json", folder(feedback.tenant()), feedback.at().toEpochMilli(), UUID.randomUUID());
        store.put(key, feedback.toJson(), "application/json");
    }

    /** The keys of the tenant's feedback events, oldest first: one listing, no reads. */
    public List<String> feedbackKeys(String tenant) {
        return store.list(folder(tenant) + "feedback/");
    }

    public List<Feedback> feedback(String tenant) {
        List<Feedback> all = new ArrayList<>();
        for (String key : feedbackKeys(tenant)) store.get(key).map(Feedback::fromJson).ifPresent(all::add);
        return all;
    }
}
