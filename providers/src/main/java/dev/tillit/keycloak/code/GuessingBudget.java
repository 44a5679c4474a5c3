package dev.tillit.keycloak.code;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Bounds wrong guesses against one account or recipient, across codes, resends, tabs and nodes.
 * Each purpose (sign-up, reset, ...) has its own budget, so a stranger spending the sign-up budget
 * of someone's number does not touch that person's reset.
 * <p>
 * A subject has {@code perDay} wrong guesses in any rolling 24 h (slot keys, taken atomically).
 * When they are spent, the subject is paused: no new code is issued or accepted for it until the
 * pause ends. The pause doubles with every pause in the last 24 h (base, 2×, 4×, ... up to the
 * cap); since the spent slots stay spent, each code after a pause allows one wrong guess before
 * the next, longer pause. So a guesser gets at most {@code perDay} + one guess per pause a day,
 * while the owner waits at most the cap.
 */
final class GuessingBudget {

    private static final long DAY = 24 * 3600;

    private final SingleUseObjectProvider store;
    private final String realmId;
    private final int perDay;
    private final Duration basePause;
    private final Duration maxPause;

    GuessingBudget(KeycloakSession session, RealmModel realm, int perDay, Duration basePause, Duration maxPause) {
        this.store = session.singleUseObjects();
        this.realmId = realm.getId();
        this.perDay = perDay;
        this.basePause = basePause;
        this.maxPause = maxPause;
    }

    /** Until when (epoch seconds) new codes for any of the subjects are held back; 0 when none is paused. */
    long pausedUntil(String purpose, List<String> subjects) {
        long until = 0;
        for (String subject : subjects) {
            until = Math.max(until, activeUntil(pauseKey(purpose, subject)));
        }
        return until;
    }

    /**
     * Spends one wrong guess of each subject. Returns the end of the pause this guess started
     * (epoch seconds), or 0 when every subject still had budget.
     */
    long spend(String purpose, List<String> subjects) {
        long pausedUntil = 0;
        for (String subject : subjects) {
            if (!takeSlot(purpose, subject)) {
                pausedUntil = Math.max(pausedUntil, pause(purpose, subject));
            }
        }
        return pausedUntil;
    }

    private boolean takeSlot(String purpose, String subject) {
        String prefix = "tillit:wrong:" + realmId + ":" + purpose + ":" + subject + ":";
        for (int i = 0; i < perDay; i++) {
            if (store.putIfAbsent(prefix + i, DAY)) {
                return true;
            }
        }
        return false;
    }

    private long pause(String purpose, String subject) {
        String key = pauseKey(purpose, subject);
        long running = activeUntil(key);
        if (running > 0) {
            return running;
        }
        if (!store.putIfAbsent(key + ":starting", 10)) {
            // A parallel wrong guess is starting this very pause: join it, do not start a longer one.
            for (int i = 0; i < 20 && running == 0; i++) {
                sleepBriefly();
                running = activeUntil(key);
            }
            return running > 0 ? running : Time.currentTime() + basePause.toSeconds();
        }
        // Which pause of the day is this? One slot per pause, kept for 24 h.
        String levelPrefix = "tillit:pauses:" + realmId + ":" + purpose + ":" + subject + ":";
        int level = 0;
        while (level < 30 && !store.putIfAbsent(levelPrefix + level, DAY)) {
            level++;
        }
        long seconds = Math.min(maxPause.toSeconds(), basePause.toSeconds() << Math.min(level, 20));
        long until = Time.currentTime() + seconds;
        store.put(key, seconds, Map.of("until", Long.toString(until)));
        return until;
    }

    private long activeUntil(String key) {
        Map<String, String> pause = store.get(key);
        if (pause == null) {
            return 0;
        }
        long end = Long.parseLong(pause.getOrDefault("until", "0"));
        return end > Time.currentTime() ? end : 0;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String pauseKey(String purpose, String subject) {
        return "tillit:pause:" + realmId + ":" + purpose + ":" + subject;
    }
}
