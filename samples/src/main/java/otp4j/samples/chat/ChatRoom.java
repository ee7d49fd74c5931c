package otp4j.samples.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import otp4j.behaviour.CallResult;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Registry;
import otp4j.behaviour.Result;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * One room: posts go through it, in order, and it sends each to the room's members; it monitors
 * its members and tells the rest when one exits. The members themselves are in
 * {@link Chat#MEMBERS}, so a restarted room finds them there and monitors them again.
 */
final class ChatRoom implements GenServer<ChatRoom.State, ChatRoom.Request> {

    sealed interface Request permits Post, Info, Join {
    }

    record Post(String from, String text) implements Request {
    }

    record Info() implements Request {
    }

    /** Called by {@link Chat#join} after the member has registered. */
    record Join(Pid pid, String nick) implements Request {
    }

    /**
     * The room's state; only the room's process touches it.
     *
     * @param watched each member's monitor: pid to nick, so a Down names who left
     * @param posted  messages posted since the room started
     */
    record State(Map<Pid, String> watched, long posted) {
    }

    private final String room;

    ChatRoom(String room) {
        this.room = Objects.requireNonNull(room, "room");
    }

    @Override
    public InitResult<State> init() {
        Map<Pid, String> watched = new HashMap<>();
        for (Registry.Entry<String> member : Chat.MEMBERS.lookup(room)) {
            if (watched.putIfAbsent(member.pid(), member.value()) == null) {
                Proc.monitor(member.pid());
            }
        }
        return GenServer.ok(new State(watched, 0));
    }

    @Override
    public CallResult<State> handleCall(Request request, From from, State state) {
        return switch (request) {
            case Post(String by, String text) -> {
                long seq = state.posted() + 1;
                Chat.Message m = new Chat.Message(room, seq, by, text);
                int[] sent = {0};
                Chat.MEMBERS.dispatch(room, members -> {
                    for (Registry.Entry<String> member : members) {
                        Proc.send(member.pid(), m);
                        sent[0]++;
                    }
                });
                yield GenServer.reply(sent[0], new State(state.watched(), seq));
            }
            case Info() -> GenServer.reply(new Chat.RoomInfo(room, Chat.MEMBERS.lookup(room).size(), state.posted()), state);
            case Join(Pid pid, String nick) -> {
                // a room restarted between the member's register and this call watches it already
                if (state.watched().putIfAbsent(pid, nick) == null) {
                    Proc.monitor(pid);
                }
                yield GenServer.reply(true, state);
            }
        };
    }

    @Override
    public Result<State> handleInfo(Object message, State state) {
        if (message instanceof Down down) {
            List<Chat.Departure> left = new ArrayList<>();
            departed(down, state, left);
            // take the Downs already queued too, and tell of them all in one event
            for (Optional<Down> more = Proc.receive(Matcher.type(Down.class), Duration.ZERO); more.isPresent();
                 more = Proc.receive(Matcher.type(Down.class), Duration.ZERO)) {
                departed(more.get(), state, left);
            }
            if (!left.isEmpty()) {
                broadcast(new Chat.Left(room, left));
            }
            return GenServer.noreply(state);
        }
        return GenServer.super.handleInfo(message, state);
    }

    private static void departed(Down down, State state, List<Chat.Departure> left) {
        if (down.target() instanceof Pid pid) {
            String nick = state.watched().remove(pid);
            if (nick != null) {
                left.add(new Chat.Departure(nick, pid, down.reason()));
            }
        }
    }

    private void broadcast(Chat.Event event) {
        Chat.MEMBERS.dispatch(room, members -> members.forEach(m -> Proc.send(m.pid(), event)));
    }

    @Override
    public Object formatStatus(State state) {
        return "room " + room + ": " + state.watched().size() + " members watched, " + state.posted() + " posted";
    }
}
