%% The W9 worker: a gen_server registered locally as w9_worker. On start it
%% sends {up, self()} to the bench process; a `crash` message makes it exit
%% with reason crash, so that its supervisor restarts it.
-module(w9_worker).
-behaviour(gen_server).
-export([start_link/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link(Bench) ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, Bench, []).

init(Bench) ->
    Bench ! {up, self()},
    {ok, Bench}.

handle_call(_Request, _From, Bench) -> {reply, ok, Bench}.

handle_cast(_Msg, Bench) -> {noreply, Bench}.

handle_info(crash, _Bench) -> exit(crash);
handle_info(_Other, Bench) -> {noreply, Bench}.
