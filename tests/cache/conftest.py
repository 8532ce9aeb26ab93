from tests.resilience.conftest import fast_pms, qlo, qlo_hotel  # noqa: F401 - the resilience tests' QloApps
