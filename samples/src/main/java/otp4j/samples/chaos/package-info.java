/**
 * The chaos sample: a process that kills random workers of the supervisors it is given, so
 * that the supervisors' restarts can be watched and the applications checked to keep answering.
 */
package otp4j.samples.chaos;
