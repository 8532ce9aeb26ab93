"""Time that moves only when a test says so: code under test takes a `clock`
(epoch seconds) instead of reading time itself, so tests advance it instead of sleeping."""


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0):  # a minute's first second: minutes are whole
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
