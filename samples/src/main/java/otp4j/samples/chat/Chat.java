package otp4j.samples.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.sun.net.httpserver.HttpHandler;

import otp4j.behaviour.AlreadyStarted;
import otp4j.behaviour.CallException;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.Registry;
import otp4j.behaviour.Restart;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.SupervisorSpec;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Via;
import otp4j.samples.web.HttpEndpoint;

/**
 * Chat rooms and their members, as Phoenix.PubSub and its Erlang ancestors do it: each room is a
 * process, found by name in a {@link Registry} of unique keys ({@link #ROOMS}); members register
 * themselves under the room's name in a {@link Registry} of duplicate keys ({@link #MEMBERS}),
 * and a message posted to a room is sent to every member registered under it. A member that
 * exits, however, is gone from its rooms: the registry drops its entries, and the room, which
 * monitors its members, tells the others it left and why.
 *
 * {@snippet :
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(Chat.childSpec()));
 * Chat.openRoom("lobby");
 * // in a member's process:
 * Chat.join("lobby", "alice");
 * Chat.Event e = Proc.receive(Matcher.type(Chat.Event.class));
 * // from anywhere:
 * int delivered = Chat.post("lobby", "bob", "hello");   // how many members it was sent to
 * }
 *
 * <p>The supervisor {@value #SUPERVISOR} is {@code rest_for_one} over the two registries, the
 * rooms' {@link DynamicSupervisor} {@value #ROOMS_SUPERVISOR} and the bots'
 * {@value #BOTS_SUPERVISOR}: a registry that restarts comes back empty, so everything started
 * after it restarts too and registers again. A restarted room keeps its members (they are in
 * {@link #MEMBERS}, not in the room) and monitors them again.
 */
public final class Chat {
    private Chat() {
    }

    /** The rooms, by name: a room's server is {@code new Via(ROOMS, room)}. */
    public static final Registry<String, Void> ROOMS = Registry.unique("chat_rooms");

    /** The members, by room: key the room's name, value the member's nick. */
    public static final Registry<String, String> MEMBERS = Registry.duplicate("chat_members");

    /** The chat's supervisor's registered name. */
    public static final String SUPERVISOR = "chat_sup";

    /** The rooms' dynamic supervisor's registered name. */
    public static final String ROOMS_SUPERVISOR = "chat_rooms_sup";

    /** The bots' dynamic supervisor's registered name (see {@link ChatBot}). */
    public static final String BOTS_SUPERVISOR = "chat_bots_sup";

    /** What a member receives from a room. */
    public sealed interface Event permits Message, Left {
        /** {@return the room} */
        String room();
    }

    /**
     * A message posted to the room.
     *
     * @param room the room
     * @param seq  its number in the room, from 1, counted since the room (re)started
     * @param from who posted it
     * @param text what it says
     */
    public record Message(String room, long seq, String from, String text) implements Event {
    }

    /**
     * Members exited, and with that left the room. Exits that reach the room together are told
     * in one event, so that a thousand members crashing at once make a thousand sends to each
     * of the others' mailboxes at most, not a thousand times a thousand.
     *
     * @param room       the room
     * @param departures who left, in the order the room heard of it
     */
    public record Left(String room, List<Departure> departures) implements Event {
        public Left {
            departures = List.copyOf(departures);
        }
    }

    /**
     * A member that left.
     *
     * @param nick   its nick
     * @param pid    its process
     * @param reason why it exited
     */
    public record Departure(String nick, Pid pid, Reason reason) {
    }

    /**
     * A room's figures.
     *
     * @param room    the room
     * @param members its members now
     * @param posted  messages posted since the room (re)started
     */
    public record RoomInfo(String room, int members, long posted) {
    }

    /** {@return the chat's supervisor, {@value #SUPERVISOR}, with no rooms, as a child of another} */
    public static ChildSpec childSpec() {
        return childSpec(List.of(), 0);
    }

    /**
     * {@return the chat's supervisor, {@value #SUPERVISOR}, as a child of another} It opens
     * {@code rooms} and starts {@code botsPerRoom} {@link ChatBot}s in each.
     */
    public static ChildSpec childSpec(List<String> rooms, int botsPerRoom) {
        rooms.forEach(r -> checkName(r, "room"));
        ChatSeed seed = new ChatSeed(rooms, botsPerRoom);
        return ChildSpec.supervisor(SUPERVISOR, () -> startLink(seed));
    }

    private static StartResult startLink(ChatSeed seed) {
        Duration period = Duration.ofSeconds(10);
        SupervisorSpec spec = new SupervisorSpec(SupFlags.restForOne().withIntensity(20, period), List.of(
                ROOMS.childSpec(),
                MEMBERS.childSpec(),
                ChildSpec.supervisor(ROOMS_SUPERVISOR, () -> DynamicSupervisor.startLink(
                        DynamicSupervisor.Flags.defaults().withIntensity(20, period), StartOptions.named(ROOMS_SUPERVISOR))),
                ChildSpec.supervisor(BOTS_SUPERVISOR, () -> DynamicSupervisor.startLink(
                        DynamicSupervisor.Flags.defaults().withIntensity(100, period), StartOptions.named(BOTS_SUPERVISOR))),
                ChildSpec.worker("chat_seed", () -> GenServer.startLink(seed))));
        return Supervisor.startLink(() -> Optional.of(spec), StartOptions.named(SUPERVISOR));
    }

    /**
     * {@return the room's process} Starts the room under {@value #ROOMS_SUPERVISOR} (a permanent
     * child) unless it runs already.
     *
     * <p><b>May be called from:</b> any process.
     *
     * @throws IllegalArgumentException if {@code room} is blank
     */
    public static Pid openRoom(String room) {
        checkName(room, "room");
        Optional<Pid> running = ROOMS.whereisName(room);
        if (running.isPresent()) {
            return running.get();
        }
        StartResult r = DynamicSupervisor.startChild(new Name(ROOMS_SUPERVISOR), ChildSpec.worker(room,
                () -> GenServer.startLink(new ChatRoom(room), StartOptions.defaults().withName(new Via(ROOMS, room)))));
        return switch (r) {
            case StartResult.Started(Pid pid) -> pid;
            // another process opened it between our look and our start
            case StartResult.Failed(Reason.Custom(AlreadyStarted(Pid pid))) -> pid;
            default -> r.orThrow();
        };
    }

    /**
     * Makes the calling process a member of {@code room} under {@code nick}: it receives the
     * room's {@link Event}s as messages until it exits. If the room runs, it is told at once and
     * watches the member from then on (a room that starts later finds its members in
     * {@link #MEMBERS}).
     *
     * <p><b>May be called from:</b> the joining process itself.
     */
    public static void join(String room, String nick) {
        checkName(room, "room");
        checkName(nick, "nick");
        MEMBERS.register(room, nick);
        Optional<Pid> running = ROOMS.whereisName(room);
        if (running.isPresent()) {
            try {
                // No timeout: the member is registered and receives posts already; the call only
                // waits until the room watches it, and a room with thousands joining at once may
                // take longer than a default 5 s to get there. A dead room ends the wait.
                GenServer.call(running.get(), new ChatRoom.Join(Proc.self(), nick), Proc.INFINITY);
            } catch (CallException e) {
                // the room died after our look: its restart finds us in MEMBERS and watches us
                if (Proc.isAlive(running.get())) {
                    throw e;
                }
            }
        }
    }

    /**
     * {@return how many members the message was sent to} Posts {@code text} to every member of
     * {@code room}, through the room.
     *
     * <p><b>May be called from:</b> any process.
     *
     * @throws otp4j.behaviour.CallException if the room does not run
     */
    public static int post(String room, String from, String text) {
        checkName(room, "room");
        checkName(from, "from");
        Objects.requireNonNull(text, "text");
        return GenServer.call(new Via(ROOMS, room), new ChatRoom.Post(from, text));
    }

    /** {@return the room's figures} <b>May be called from:</b> any process. */
    public static RoomInfo info(String room) {
        checkName(room, "room");
        return GenServer.call(new Via(ROOMS, room), new ChatRoom.Info());
    }

    /**
     * {@return the bot started} Starts a {@link ChatBot} member of {@code room} under
     * {@value #BOTS_SUPERVISOR}, restarted (and joining again) whenever it exits.
     *
     * <p><b>May be called from:</b> any process.
     */
    public static Pid startBot(String room, String nick) {
        return DynamicSupervisor.startChild(new Name(BOTS_SUPERVISOR), ChildSpec.worker(nick,
                () -> GenServer.startLink(new ChatBot(room, nick))).withRestart(Restart.PERMANENT)).orThrow();
    }

    /**
     * {@return an HTTP handler for {@code /chat/<room>}} {@code POST} posts the body to the room
     * (from the {@code from} query parameter, else {@code web}) and answers how many members it
     * reached; {@code GET} answers the room's figures. A room that does not run answers 404.
     */
    public static HttpHandler handler() {
        return exchange -> {
            String path = exchange.getRequestURI().getPath();
            String room = path.substring(path.lastIndexOf('/') + 1);
            if (room.isBlank() || ROOMS.whereisName(room).isEmpty()) {
                HttpEndpoint.reply(exchange, 404, "no room \"" + room + "\"\n");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> {
                    String from = HttpEndpoint.query(exchange, "from").orElse("web");
                    int n = post(room, from, HttpEndpoint.body(exchange).strip());
                    HttpEndpoint.reply(exchange, 200, "sent to " + n + " members of " + room + "\n");
                }
                case "GET" -> {
                    RoomInfo i = info(room);
                    HttpEndpoint.reply(exchange, 200, i.room() + ": " + i.members() + " members, " + i.posted()
                            + " messages posted\n");
                }
                default -> HttpEndpoint.reply(exchange, 405, "use GET or POST\n");
            }
        };
    }

    private static void checkName(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
