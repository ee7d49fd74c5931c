%% The W5 server: a gen_server whose state is a counter; every `incr`
%% call is answered with the counter after incrementing it.
-module(w5_counter).
-behaviour(gen_server).
-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start() ->
    gen_server:start(?MODULE, 0, []).

init(Count) ->
    {ok, Count}.

handle_call(incr, _From, Count) ->
    Next = Count + 1,
    {reply, Next, Next}.

handle_cast(_Msg, Count) ->
    {noreply, Count}.
