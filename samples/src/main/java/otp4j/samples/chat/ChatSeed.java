package otp4j.samples.chat;

import java.util.List;

import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.runtime.Name;

/**
 * Opens the chat's rooms and fills each with bots, in its {@code init}: the last child of the
 * chat's {@code rest_for_one} supervisor, so it runs again whenever the dynamic supervisors
 * before it have restarted empty. It starts only the bots missing, so a restart of the seed
 * alone adds none.
 */
record ChatSeed(List<String> rooms, int botsPerRoom) implements GenServer<Integer, Object> {

    ChatSeed {
        rooms = List.copyOf(rooms);
        if (botsPerRoom < 0) {
            throw new IllegalArgumentException("botsPerRoom must be >= 0, was " + botsPerRoom);
        }
    }

    @Override
    public InitResult<Integer> init() {
        long running = DynamicSupervisor.countChildren(new Name(Chat.BOTS_SUPERVISOR)).specs();
        int started = 0;
        for (String room : rooms) {
            Chat.openRoom(room);
        }
        for (long n = running; n < (long) rooms.size() * botsPerRoom; n++) {
            String room = rooms.get((int) (n / botsPerRoom));
            Chat.startBot(room, "bot-" + n);
            started++;
        }
        return GenServer.ok(started);
    }

    @Override
    public Object formatStatus(Integer started) {
        return "chat seed: rooms " + rooms + ", " + botsPerRoom + " bots each, " + started + " started by this seed";
    }
}
