/**
 * The chat sample: rooms as processes found through a unique-key {@code Registry}, members in a
 * duplicate-key {@code Registry}, posts fanned out to every member, and members that exit
 * dropped from their rooms, with the others told.
 */
package otp4j.samples.chat;
