package dev.merlai.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A request for a personalised model: the data of a {@link EventTypes#TRAINING_REQUESTED} event or the body of
 * {@code POST /v1/training}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrainRequest {
    /**
     * The tenant: required in an event (an active tenant); over HTTP the API key's, and if given it must name that
     * tenant.
     */
    public String tenant;
    /** The training set: the pieces under {@code tenants/<tenant>/training/<set>/}. */
    public String set;
    /** {@code pop} (default) or {@code lied}: the base style the composer's pieces are closest to. */
    public String style;
    /** A few optimizer steps only (tests, a first look); default false. */
    public boolean quick;
}
