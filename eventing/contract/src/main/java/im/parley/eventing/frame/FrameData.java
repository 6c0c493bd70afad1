package im.parley.eventing.frame;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The data ({@code d}) of one downstream frame, as frames.schema.json defines it; {@link #t()} names the frame.
 * {@code Frames.of(data)} makes the frame, so business code builds frames from these records, never from JSON.
 */
public interface FrameData {

    @JsonIgnore
    String t();
}
