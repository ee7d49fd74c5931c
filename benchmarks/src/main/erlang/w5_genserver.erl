%% W5 gen_server call throughput. Figures (calls/s):
%%   w5a_call_1client_per_s     one client makes Calls1 calls
%%   w5b_call_100clients_per_s  Clients clients make CallsEach calls each, all at once
%% Timed from `go` until the last client is done. The counter is checked
%% afterwards: one more call must answer the number of calls made + 1.
%%   erl -run w5_genserver main [Calls1 [Clients [CallsEach]]]
-module(w5_genserver).
-export([main/1]).

main(Args) ->
    Calls1 = bu:arg_int(Args, 1, 1000000),
    Clients = bu:arg_int(Args, 2, 100),
    CallsEach = bu:arg_int(Args, 3, 10000),
    bu:run(fun() ->
                   timed("w5a_call_1client_per_s", 1, Calls1),
                   timed("w5b_call_100clients_per_s", Clients, CallsEach)
           end).

%% Starts a counter and N clients blocked until `go`, times them, checks the count.
timed(Name, N, CallsEach) ->
    {ok, Server} = w5_counter:start(),
    Bench = self(),
    Clients = [spawn(fun() -> client(Bench, Server, CallsEach) end)
               || _ <- lists:seq(1, N)],
    T0 = bu:now_ns(),
    lists:foreach(fun(C) -> C ! go end, Clients),
    T1 = wait_done(N, T0),
    Total = N * CallsEach,
    case gen_server:call(Server, incr) of
        Answer when Answer =:= Total + 1 -> ok;
        Answer -> error({wrong_count, Answer, expected, Total + 1})
    end,
    ok = gen_server:stop(Server),
    bu:rate(Name, Total, T1 - T0, "calls/s").

client(Bench, Server, CallsEach) ->
    receive go -> ok end,
    call_loop(Server, CallsEach),
    Bench ! {done, bu:now_ns()}.

call_loop(_Server, 0) -> ok;
call_loop(Server, K) ->
    _ = gen_server:call(Server, incr),
    call_loop(Server, K - 1).

%% The latest of the clients' finishing times.
wait_done(0, Latest) -> Latest;
wait_done(N, Latest) ->
    receive {done, T} -> wait_done(N - 1, max(T, Latest)) end.
