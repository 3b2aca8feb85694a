"""The Microsoft clouds a connection can live in, with their sign-in and Graph hosts."""

from __future__ import annotations

import enum


class Cloud(enum.StrEnum):
    """A Microsoft national or global cloud; the value is what the config file and CLI use."""

    GLOBAL = "global"
    USGOV = "usgov"
    USGOVDOD = "usgovdod"
    CHINA = "china"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def login_host(self) -> str:
        return _LOGIN_HOSTS[self]

    @property
    def graph_endpoint(self) -> str:
        return _GRAPH[self]

    def authority_for(self, tenant: str) -> str:
        return f"https://{self.login_host}/{tenant}"

    @classmethod
    def parse(cls, text: str) -> Cloud:
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(c.value for c in cls)
            raise ValueError(
                f'"{text}" is not a cloud o365desk knows. Use one of: {names}.'
            ) from None


_LABELS = {
    Cloud.GLOBAL: "Global",
    Cloud.USGOV: "US Government (GCC High)",
    Cloud.USGOVDOD: "US Government (DoD)",
    Cloud.CHINA: "China (21Vianet)",
}

_LOGIN_HOSTS = {
    Cloud.GLOBAL: "login.microsoftonline.com",
    Cloud.USGOV: "login.microsoftonline.us",
    Cloud.USGOVDOD: "login.microsoftonline.us",
    Cloud.CHINA: "login.chinacloudapi.cn",
}

_GRAPH = {
    Cloud.GLOBAL: "https://graph.microsoft.com",
    Cloud.USGOV: "https://graph.microsoft.us",
    Cloud.USGOVDOD: "https://dod-graph.microsoft.us",
    Cloud.CHINA: "https://microsoftgraph.chinacloudapi.cn",
}
