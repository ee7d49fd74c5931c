%% W7 tables, on ETS: the BEAM side of otp4j.bench.W7Tables.
%%
%%   erl -noshell -run w7_ets main [N L U CK R RL]
%%
%% N records {K, K}, K in 1..N; L lookups; U update_counter increments on
%% CK counters; R range queries of RL objects. Random keys come from bu:xs/1
%% (xorshift32) and every result is checked. Figures:
%%   (a) w7a_set_insert_per_s, w7a_set_bytes_per_record (ets:info memory)
%%   (b) w7b_set_lookup_1proc_per_s
%%   (c) w7c_set_rc_lookup_1proc_per_s, w7c_set_rc_lookup_2proc_per_s
%%       (a read_concurrency table; L lookups from 1 process, L/2 from each of 2)
%%   (d) w7d_update_counter_2proc_per_s (U/2 increments from each of 2)
%%   (e) w7e_oset_insert_per_s (ascending), w7e_oset_insert_shuffled_per_s,
%%       w7e_oset_range_next_per_s (ets:next + ets:lookup),
%%       w7e_oset_range_select_per_s (ets:select with a key-range guard, which
%%       ETS answers by walking the whole table: R div 1000 of them are run)
-module(w7_ets).
-export([main/1]).

-define(LOOKUP_SEED, 16#9E3779B9).
-define(COUNTER_SEED, 16#2545F491).
-define(RANGE_SEED, 16#1B873593).

main(Args) ->
    [N, L, U, CK, R, RL] =
        [bu:arg_int(Args, I, D) || {I, D} <- lists:zip(lists:seq(1, 6),
                                                      [1000000, 10000000, 10000000, 1000, 100000, 100])],
    bu:run(fun() ->
                   set_insert_and_lookups(N, L),
                   concurrent_reads(N, L),
                   counters(CK, U),
                   ordered_set(N, R, RL)
           end).

%% ------------------------------------------------------------------ (a), (b)

set_insert_and_lookups(N, L) ->
    T = ets:new(w7a, [set, public]),
    Ns = timed(fun() -> fill(T, 1, N) end),
    check_size(T, N),
    bu:rate("w7a_set_insert_per_s", N, Ns, "inserts/s"),
    Bytes = ets:info(T, memory) * erlang:system_info(wordsize),
    bu:num("w7a_set_bytes_per_record", round(Bytes / N), "bytes"),
    NsL = in_procs(1, fun(_) -> lookup_loop(T, N, L, ?LOOKUP_SEED) end),
    bu:rate("w7b_set_lookup_1proc_per_s", L, NsL, "lookups/s"),
    true = ets:delete(T).

%% ------------------------------------------------------------------ (c)

concurrent_reads(N, L) ->
    T = ets:new(w7c, [set, public, {read_concurrency, true}]),
    fill(T, 1, N),
    Ns1 = in_procs(1, fun(_) -> lookup_loop(T, N, L, ?LOOKUP_SEED) end),
    bu:rate("w7c_set_rc_lookup_1proc_per_s", L, Ns1, "lookups/s"),
    Half = L div 2,
    Ns2 = in_procs(2, fun(I) -> lookup_loop(T, N, Half, ?LOOKUP_SEED + I * 7919) end),
    bu:rate("w7c_set_rc_lookup_2proc_per_s", 2 * Half, Ns2, "lookups/s"),
    true = ets:delete(T).

%% ------------------------------------------------------------------ (d)

counters(CK, U) ->
    T = ets:new(w7d, [set, public, {write_concurrency, true}]),
    true = ets:insert(T, [{K, 0} || K <- lists:seq(1, CK)]),
    Per = U div 2,
    Ns = in_procs(2, fun(I) -> incr_loop(T, CK, Per, ?COUNTER_SEED + I * 104729) end),
    Sum = ets:foldl(fun({_, V}, Acc) -> Acc + V end, 0, T),
    case Sum of
        _ when Sum =:= 2 * Per -> ok;
        _ -> error({counter_sum, Sum, expected, 2 * Per})
    end,
    bu:rate("w7d_update_counter_2proc_per_s", 2 * Per, Ns, "increments/s"),
    true = ets:delete(T).

%% ------------------------------------------------------------------ (e)

ordered_set(N, R, RL) ->
    T = ets:new(w7e, [ordered_set, public]),
    Ns = timed(fun() -> fill(T, 1, N) end),
    check_size(T, N),
    bu:rate("w7e_oset_insert_per_s", N, Ns, "inserts/s"),
    %% A random permutation of 1..N, made before the clock starts.
    Keys = [K || {_, K} <- lists:sort([{rand:uniform(), K} || K <- lists:seq(1, N)])],
    T2 = ets:new(w7e2, [ordered_set, public]),
    NsS = timed(fun() -> lists:foreach(fun(K) -> ets:insert(T2, {K, K}) end, Keys) end),
    check_size(T2, N),
    bu:rate("w7e_oset_insert_shuffled_per_s", N, NsS, "inserts/s"),
    true = ets:delete(T2),
    NsN = in_procs(1, fun(_) -> next_ranges(T, N, R, RL, ?RANGE_SEED) end),
    bu:rate("w7e_oset_range_next_per_s", R, NsN, "ranges/s"),
    SR = max(1, R div 1000),
    NsQ = in_procs(1, fun(_) -> select_ranges(T, N, SR, RL, ?RANGE_SEED) end),
    bu:rate("w7e_oset_range_select_per_s", SR, NsQ, "ranges/s"),
    true = ets:delete(T).

%% ------------------------------------------------------------------ loops

fill(T, K, N) when K =< N ->
    true = ets:insert(T, {K, K}),
    fill(T, K + 1, N);
fill(_, _, _) ->
    ok.

lookup_loop(_, _, 0, _) ->
    ok;
lookup_loop(T, N, C, X0) ->
    X = bu:xs(X0),
    K = bu:key(X, N),
    case ets:lookup(T, K) of
        [{K, K}] -> lookup_loop(T, N, C - 1, X);
        Other -> error({lookup, K, Other})
    end.

incr_loop(_, _, 0, _) ->
    ok;
incr_loop(T, CK, C, X0) ->
    X = bu:xs(X0),
    _ = ets:update_counter(T, bu:key(X, CK), 1),
    incr_loop(T, CK, C - 1, X).

%% Each range: the RL objects from the first key >= Lo, by ets:next and ets:lookup.
next_ranges(_, _, 0, _, _) ->
    ok;
next_ranges(T, N, C, RL, X0) ->
    X = bu:xs(X0),
    Lo = bu:key(X, N - RL + 1),
    check_range(collect(T, ets:next(T, Lo - 1), RL, []), Lo, RL),
    next_ranges(T, N, C - 1, RL, X).

collect(_, _, 0, Acc) ->
    Acc;
collect(_, '$end_of_table', _, Acc) ->
    Acc;
collect(T, K, Left, Acc) ->
    [Obj] = ets:lookup(T, K),
    collect(T, ets:next(T, K), Left - 1, [Obj | Acc]).

%% Each range: Lo =< key < Lo + RL, as one ets:select with a key-range guard.
select_ranges(_, _, 0, _, _) ->
    ok;
select_ranges(T, N, C, RL, X0) ->
    X = bu:xs(X0),
    Lo = bu:key(X, N - RL + 1),
    Spec = [{{'$1', '_'}, [{'>=', '$1', Lo}, {'<', '$1', Lo + RL}], ['$_']}],
    check_range(ets:select(T, Spec), Lo, RL),
    select_ranges(T, N, C - 1, RL, X).

%% ------------------------------------------------------------------ helpers

%% Keys 1..N are all present: a range from Lo has RL objects, from {Lo, Lo}
%% to {Lo + RL - 1, Lo + RL - 1} (in either order: collect/4 builds it backwards).
check_range(Objs, Lo, RL) ->
    Hi = Lo + RL - 1,
    case {length(Objs), lists:sort([hd(Objs), lists:last(Objs)])} of
        {RL, [{Lo, Lo}, {Hi, Hi}]} -> ok;
        _ -> error({range, Lo, length(Objs)})
    end.

check_size(T, N) ->
    case ets:info(T, size) of
        N -> ok;
        Size -> error({size, Size, expected, N})
    end.

timed(Fun) ->
    T0 = bu:now_ns(),
    Fun(),
    bu:now_ns() - T0.

%% Runs Fun(I) for I in 1..P, each in a fresh linked process, all released
%% together; nanoseconds from the release until the last one is done.
in_procs(P, Fun) ->
    Parent = self(),
    Pids = [spawn_link(fun() ->
                               receive go -> ok end,
                               Fun(I),
                               Parent ! {done, self()}
                       end) || I <- lists:seq(1, P)],
    T0 = bu:now_ns(),
    _ = [Pid ! go || Pid <- Pids],
    _ = [receive {done, Pid} -> ok end || Pid <- Pids],
    bu:now_ns() - T0.
