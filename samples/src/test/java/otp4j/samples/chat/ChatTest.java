package otp4j.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.CallException;
import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.Sys;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.Mailbox;
import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class ChatTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** A member's report to the test: it got {@code event}. */
    record Got(Pid member, Chat.Event event) {
    }

    /** A member's report to the test: it has joined. */
    record Ready(Pid member) {
    }

    /** Tells a test member to crash with {@code reason}. */
    record Crash(Reason reason) {
    }

    /** Joined as {@code nick}, then forwards every event to {@code test} until told to crash. */
    private static Pid member(String room, String nick, Pid test) {
        Pid pid = Proc.spawn(() -> {
            Chat.join(room, nick);
            Proc.send(test, new Ready(Proc.self()));
            for (;;) {
                switch (Proc.receive()) {
                    case Chat.Event e -> Proc.send(test, new Got(Proc.self(), e));
                    case Crash(Reason reason) -> Proc.exit(reason);
                    default -> {
                    }
                }
            }
        });
        Mailbox.await(m -> m instanceof Ready(Pid p) && p.equals(pid) ? p : null, DEADLINE);
        return pid;
    }

    private static Pid startChat() {
        return Supervisor.startLink(SupFlags.oneForOne(), List.of(Chat.childSpec())).orThrow();
    }

    @Test
    void aPostReachesEveryMemberOfTheRoomAndNoOneElse(AttachedProcess me) {
        Pid sup = startChat();
        Chat.openRoom("lobby");
        Chat.openRoom("kitchen");
        List<Pid> lobby = List.of(member("lobby", "ann", me.pid()), member("lobby", "ben", me.pid()));
        Pid cook = member("kitchen", "cook", me.pid());
        assertThat(Chat.post("lobby", "ann", "hello")).isEqualTo(2);
        Set<Pid> reached = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Got got = Mailbox.await(m -> m instanceof Got g && g.event() instanceof Chat.Message ? g : null, DEADLINE);
            assertThat(got.event()).isEqualTo(new Chat.Message("lobby", 1, "ann", "hello"));
            reached.add(got.member());
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(lobby);
        assertThat(Chat.post("kitchen", "cook", "soup")).isEqualTo(1);
        Got soup = Mailbox.await(m -> m instanceof Got g && g.event() instanceof Chat.Message ? g : null, DEADLINE);
        assertThat(soup.member()).isEqualTo(cook);
        assertThat(Chat.info("lobby")).isEqualTo(new Chat.RoomInfo("lobby", 2, 1));
        GenServer.stop(sup);
    }

    @Test
    void aMemberThatCrashesIsGoneFromItsRoomAndTheOthersAreTold(AttachedProcess me) {
        Pid sup = startChat();
        Chat.openRoom("lobby");
        Pid ann = member("lobby", "ann", me.pid());
        Pid ben = member("lobby", "ben", me.pid());
        Pid cat = member("lobby", "cat", me.pid());
        Proc.monitor(ben);
        Proc.send(ben, new Crash(Reason.custom("boom")));
        Mailbox.await(m -> m instanceof Down d && d.target().equals(ben) ? d : null, DEADLINE);
        for (Pid other : List.of(ann, cat)) {
            Got left = Mailbox.await(m -> m instanceof Got g && g.member().equals(other) && g.event() instanceof Chat.Left
                    ? g : null, DEADLINE);
            assertThat(left.event()).isEqualTo(new Chat.Left("lobby", List.of(new Chat.Departure("ben", ben,
                    Reason.custom("boom")))));
        }
        assertThat(Chat.MEMBERS.lookup("lobby")).extracting(e -> e.value()).containsExactlyInAnyOrder("ann", "cat");
        assertThat(Chat.post("lobby", "ann", "still here?")).isEqualTo(2);
        GenServer.stop(sup);
    }

    @Test
    void aRestartedRoomKeepsItsMembersAndWatchesThemAgain(AttachedProcess me) {
        Pid sup = startChat();
        Pid room = Chat.openRoom("lobby");
        Pid ann = member("lobby", "ann", me.pid());
        Pid ben = member("lobby", "ben", me.pid());
        Proc.monitor(room);
        Proc.exit(room, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(room) ? d : null, DEADLINE);
        List<ChildInfo> rooms = DynamicSupervisor.whichChildren(new Name(Chat.ROOMS_SUPERVISOR));   // after the restart
        assertThat(rooms).singleElement().satisfies(c -> assertThat(c.pid()).isPresent().get().isNotEqualTo(room));

        assertThat(Chat.post("lobby", "ann", "after the restart")).isEqualTo(2);
        assertThat(Chat.info("lobby").posted()).as("counted since the restart").isEqualTo(1);
        Proc.exit(ben, Reason.KILL);
        Got left = Mailbox.await(m -> m instanceof Got g && g.member().equals(ann) && g.event() instanceof Chat.Left
                ? g : null, DEADLINE);
        assertThat(left.event()).isEqualTo(new Chat.Left("lobby", List.of(new Chat.Departure("ben", ben, Reason.KILLED))));
        GenServer.stop(sup);
    }

    @Test
    void botsJoinAgainWhenTheyAreRestarted(AttachedProcess me) {
        Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(Chat.childSpec(List.of("lobby"), 3))).orThrow();
        assertThat(Chat.info("lobby").members()).isEqualTo(3);
        Pid bot = Chat.MEMBERS.lookup("lobby").getFirst().pid();
        Proc.monitor(bot);
        Proc.exit(bot, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(bot) ? d : null, DEADLINE);
        assertThat(DynamicSupervisor.whichChildren(new Name(Chat.BOTS_SUPERVISOR))).hasSize(3)
                .allSatisfy(c -> assertThat(c.pid()).isPresent().get().isNotEqualTo(bot));
        assertThat(Chat.info("lobby").members()).isEqualTo(3);
        assertThat(Chat.post("lobby", "test", "hi bots")).isEqualTo(3);
        GenServer.stop(sup);
    }

    @Test
    void aSeedRestartedAloneStartsNoMoreBots(AttachedProcess me) {
        Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(Chat.childSpec(List.of("lobby"), 4))).orThrow();
        Pid chat = Proc.whereis(Chat.SUPERVISOR).orElseThrow();
        Pid seed = Supervisor.whichChildren(chat).stream().filter(c -> c.id().equals("chat_seed")).findFirst()
                .orElseThrow().pid().orElseThrow();
        Proc.monitor(seed);
        Proc.exit(seed, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(seed) ? d : null, DEADLINE);
        Supervisor.whichChildren(chat);                                  // after the restart
        assertThat(DynamicSupervisor.countChildren(new Name(Chat.BOTS_SUPERVISOR)).specs()).isEqualTo(4);
        GenServer.stop(sup);
    }

    /**
     * Found by the stress profile: with thousands joining one room at once on a loaded machine,
     * joins waited over the default 5 s call timeout and their members crashed, though they were
     * registered and the room would have watched them. A join waits for the room as long as it
     * lives.
     */
    @Test
    void aJoinWaitsForABusyRoomLongerThanTheDefaultCallTimeout(ManualTicker clock, AttachedProcess me) {
        Pid sup = startChat();
        Chat.openRoom("hall");
        Pid room = Chat.ROOMS.whereisName("hall").orElseThrow();
        Sys.suspend(room);
        Pid test = me.pid();
        Pid late = Proc.spawn(() -> {
            Chat.join("hall", "late");
            Proc.send(test, new Ready(Proc.self()));
            Proc.receive(Matcher.type(Void.class));
        });
        while (Proc.info(room).orElseThrow().messageQueueLength() == 0) {
            Thread.onSpinWait(); // until the join is queued at the room
        }
        // Timers fire in order of due time: once "tick" is here, a 5 s call timeout would have
        // reached the member before the room's answer can.
        Proc.sendAfter(Duration.ofSeconds(6), me.pid(), "tick");
        clock.advance(Duration.ofSeconds(6));
        Mailbox.awaitInRealTime(m -> m.equals("tick") ? m : null, DEADLINE);
        Sys.resume(room);
        Mailbox.awaitInRealTime(m -> m instanceof Ready r && r.member().equals(late) ? r : null, DEADLINE);
        assertThat(Chat.info("hall").members()).isEqualTo(1);
        GenServer.stop(sup);
    }

    @Test
    @Tag("stress")
    void aPostFansOutToThousandsOfMembersAndSkipsTheDead(AttachedProcess me) {
        Pid sup = startChat();
        Chat.openRoom("hall");
        // thousands by default; -Dotp4j.stress.scale=10 for ten times as many, as the runtime's stress tests
        int n = (int) (5_000 * Double.parseDouble(System.getProperty("otp4j.stress.scale", "1")));
        List<Pid> members = new ArrayList<>(n);
        Pid test = me.pid();
        for (int i = 0; i < n; i++) {
            int k = i;
            members.add(Proc.spawn(() -> {
                Chat.join("hall", "m" + k);
                Proc.send(test, "joined");
                for (;;) {
                    if (Proc.receive() instanceof Chat.Message m) {
                        Proc.send(test, new Got(Proc.self(), m));
                    }
                }
            }));
        }
        for (int i = 0; i < n; i++) {
            Mailbox.await(Matcher.type(String.class), DEADLINE);
        }
        assertThat(Chat.post("hall", "host", "one")).isEqualTo(n);
        assertThat(receiveMessages(n, 1)).containsExactlyInAnyOrderElementsOf(members);

        Set<Pid> killed = new HashSet<>();
        for (int i = 0; i < n; i += 2) {
            Proc.exit(members.get(i), Reason.KILL);
            killed.add(members.get(i));
        }
        assertThat(Chat.post("hall", "host", "two")).isEqualTo(n - killed.size());
        List<Pid> reached = receiveMessages(n - killed.size(), 2);
        assertThat(reached).doesNotContainAnyElementsOf(killed).doesNotHaveDuplicates();
        assertThat(Chat.info("hall").members()).isEqualTo(n - killed.size());
        assertThat(Chat.MEMBERS.lookup("hall")).hasSize(n - killed.size());
        GenServer.stop(sup);
    }

    private static List<Pid> receiveMessages(int count, long seq) {
        List<Pid> from = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            from.add(Mailbox.await(m -> m instanceof Got g && g.event() instanceof Chat.Message msg && msg.seq() == seq
                    ? g.member() : null, DEADLINE));
        }
        return from;
    }

    @Test
    void misuseIsRefusedWithWhatIsWrong(AttachedProcess me) {
        assertThatThrownBy(() -> Chat.openRoom(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("room must not be blank");
        assertThatThrownBy(() -> Chat.join("lobby", null)).isInstanceOf(NullPointerException.class).hasMessage("nick");
        Pid sup = startChat();
        assertThatThrownBy(() -> Chat.post("nowhere", "ann", "hi")).isInstanceOf(CallException.class);
        GenServer.stop(sup);
    }
}
