package otp4j.samples.chat;

import java.util.Objects;

import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;

/**
 * A member that joins a room when it starts and counts what the room sends it: the load behind
 * the chat sample's fan-out. Started by {@link Chat#startBot}; killed and restarted, it joins
 * again.
 */
final class ChatBot implements GenServer<Long, Object> {
    private final String room;
    private final String nick;

    ChatBot(String room, String nick) {
        this.room = Objects.requireNonNull(room, "room");
        this.nick = Objects.requireNonNull(nick, "nick");
    }

    @Override
    public InitResult<Long> init() {
        Chat.join(room, nick);
        return GenServer.ok(0L);
    }

    @Override
    public Result<Long> handleInfo(Object message, Long received) {
        if (message instanceof Chat.Event) {
            return GenServer.noreply(received + 1);
        }
        return GenServer.super.handleInfo(message, received);
    }

    @Override
    public Object formatStatus(Long received) {
        return nick + " in " + room + ": " + received + " events received";
    }
}
