package im.parley.push;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.eventing.push.PushProvider;
import im.parley.eventing.push.PushSettingsUpdated.QuietHours;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Tokens in {@code push_tokens} with their holder in {@code push_token_owners}; settings in {@code push_settings}. */
public final class CassandraDeviceTokens implements DeviceTokens {

    private static final int WINDOW = 256;

    private final CqlSession session;
    private final PreparedStatement owner;
    private final PreparedStatement insert;
    private final PreparedStatement insertOwner;
    private final PreparedStatement tokenOf;
    private final PreparedStatement delete;
    private final PreparedStatement deleteOwner;
    private final PreparedStatement byUser;
    private final PreparedStatement setQuiet;
    private final PreparedStatement clearQuiet;
    private final PreparedStatement quiet;

    public CassandraDeviceTokens(CqlSession session) {
        this.session = session;
        this.owner = session.prepare("SELECT user_id, device_id FROM push_token_owners WHERE push_token = ?");
        this.insert = session.prepare("INSERT INTO push_tokens (user_id, device_id, platform, push_token, app_id, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        this.insertOwner = session.prepare("INSERT INTO push_token_owners (push_token, user_id, device_id) VALUES (?, ?, ?)");
        this.tokenOf = session.prepare("SELECT push_token FROM push_tokens WHERE user_id = ? AND device_id = ?");
        this.delete = session.prepare("DELETE FROM push_tokens WHERE user_id = ? AND device_id = ?");
        this.deleteOwner = session.prepare("DELETE FROM push_token_owners WHERE push_token = ?");
        this.byUser = session.prepare("SELECT device_id, platform, push_token, app_id FROM push_tokens WHERE user_id = ?");
        this.setQuiet = session.prepare("INSERT INTO push_settings (user_id, quiet_start, quiet_end, time_zone, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)");
        this.clearQuiet = session.prepare("DELETE FROM push_settings WHERE user_id = ?");
        this.quiet = session.prepare("SELECT quiet_start, quiet_end, time_zone FROM push_settings WHERE user_id = ?");
    }

    @Override
    public void register(Device device) {
        Row previous = session.execute(owner.bind(device.token())).one();
        if (previous != null && !(previous.getString(0).equals(device.userId()) && previous.getString(1).equals(device.deviceId()))) {
            remove(new Device(previous.getString(0), previous.getString(1), device.provider(), device.token(), null));
        }
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                insert.bind(device.userId(), device.deviceId(), device.provider().name().toLowerCase(Locale.ROOT),
                        device.token(), device.appId(), Instant.now()),
                insertOwner.bind(device.token(), device.userId(), device.deviceId())));
    }

    @Override
    public Map<String, List<Device>> devices(Collection<String> userIds) {
        return perUser(userIds, user -> session.executeAsync(byUser.bind(user)).toCompletableFuture(), (user, rows) -> {
            List<Device> devices = new ArrayList<>();
            for (Row row : rows.currentPage()) {
                devices.add(new Device(user, row.getString(0), PushProvider.valueOf(row.getString(1).toUpperCase(Locale.ROOT)),
                        row.getString(2), row.getString(3)));
            }
            return devices.isEmpty() ? null : devices;
        });
    }

    @Override
    public void remove(Device device) {
        Row current = session.execute(tokenOf.bind(device.userId(), device.deviceId())).one();
        if (current != null && device.token().equals(current.getString(0))) {
            session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, delete.bind(device.userId(), device.deviceId()),
                    deleteOwner.bind(device.token())));
        }
    }

    @Override
    public void quietHours(String userId, QuietHours hours) {
        session.execute(hours == null ? clearQuiet.bind(userId)
                : setQuiet.bind(userId, hours.start(), hours.end(), hours.timeZone(), Instant.now()));
    }

    @Override
    public Map<String, QuietHours> quietHours(Collection<String> userIds) {
        return perUser(userIds, user -> session.executeAsync(quiet.bind(user)).toCompletableFuture(), (user, rows) -> {
            Row row = rows.one();
            return row == null || row.isNull(0) ? null : new QuietHours(row.getString(0), row.getString(1), row.getString(2));
        });
    }

    /** One read per user, a window of them in flight at a time (a large group must not flood the connections). */
    private static <T> Map<String, T> perUser(Collection<String> userIds, Function<String, CompletableFuture<AsyncResultSet>> read,
                                              BiFunction<String, AsyncResultSet, T> map) {
        List<String> users = new ArrayList<>(userIds);
        Map<String, T> found = new LinkedHashMap<>();
        for (int from = 0; from < users.size(); from += WINDOW) {
            Map<String, CompletableFuture<T>> pending = new LinkedHashMap<>();
            for (String user : users.subList(from, Math.min(users.size(), from + WINDOW))) {
                pending.put(user, read.apply(user).thenApply(rows -> map.apply(user, rows)));
            }
            pending.forEach((user, future) -> {
                T value = future.join();
                if (value != null) {
                    found.put(user, value);
                }
            });
        }
        return found;
    }
}
