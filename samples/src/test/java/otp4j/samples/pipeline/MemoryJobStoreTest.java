package otp4j.samples.pipeline;

class MemoryJobStoreTest extends JobStoreContract {
    @Override
    JobStore newStore() {
        return new MemoryJobStore();
    }
}
