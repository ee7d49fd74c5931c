%% W9 supervisor restarts: a one_for_one supervisor with an intensity it
%% never reaches and one permanent, brutally killed w9_worker. The bench
%% crashes the worker Restarts times, each time waiting for the new one's
%% {up, Pid}. Figures (restarts/s): over all of them, over the first 1,000
%% and over the last 1,000 (OTP's supervisor walks its list of recent
%% restarts on each one, so the last are slower). Checked: each new worker
%% is another process; at the end the name and the only child are the last.
%%   erl -run w9_sup main [Restarts]
-module(w9_sup).
-behaviour(supervisor).
-export([main/1]).
-export([init/1]).

main(Args) ->
    Restarts = bu:arg_int(Args, 1, 10000),
    bu:run(fun() -> bench(Restarts) end).

init(Bench) ->
    Flags = #{strategy => one_for_one, intensity => 1000000, period => 1},
    Worker = #{id => w9_worker,
               start => {w9_worker, start_link, [Bench]},
               restart => permanent,
               shutdown => brutal_kill,
               type => worker},
    {ok, {Flags, [Worker]}}.

bench(Restarts) ->
    %% two reports per restart (crash report, supervisor report): not logged
    ok = logger:set_primary_config(level, none),
    {ok, Sup} = supervisor:start_link(?MODULE, self()),
    First = receive {up, P} -> P end,
    Chunk = min(1000, Restarts div 2),
    T0 = bu:now_ns(),
    A = restart_n(Chunk, First),
    T1 = bu:now_ns(),
    B = restart_n(Restarts - 2 * Chunk, A),
    T2 = bu:now_ns(),
    Last = restart_n(Chunk, B),
    T3 = bu:now_ns(),
    case {whereis(w9_worker), supervisor:which_children(Sup)} of
        {Last, [{w9_worker, Last, worker, _}]} -> ok;
        Other -> error({wrong_state, Other, expected, Last})
    end,
    bu:rate("w9_restarts_per_s", Restarts, T3 - T0, "restarts/s"),
    bu:rate("w9_restarts_first1000_per_s", Chunk, T1 - T0, "restarts/s"),
    bu:rate("w9_restarts_last1000_per_s", Chunk, T3 - T2, "restarts/s").

%% Crashes the current worker K times, each time waiting until its
%% replacement is up; returns the last worker.
restart_n(0, Worker) -> Worker;
restart_n(K, Worker) ->
    Worker ! crash,
    receive
        {up, New} when New =/= Worker -> restart_n(K - 1, New)
    end.
