"""The Microsoft clouds a connection can live in, with their sign-in and Graph hosts."""

from __future__ import annotations

import enum

# Microsoft Graph's application (client) ID: the same in every cloud and tenant.
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"


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

    @property
    def sign_in_hosts(self) -> frozenset[str]:
        """Hosts Microsoft's sign-in pages of this cloud use; "*.x" stands for x's subdomains.

        An embedded sign-in view may navigate to these (plus the authority's own host).
        """
        return _SIGN_IN_HOSTS[self]

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

# Kept small and explicit: the sign-in pages, their CDNs, and the hops federation and
# seamless SSO take. A link elsewhere leaves the embedded view for the system browser.
_GLOBAL_HOSTS = frozenset({
    "login.microsoftonline.com", "login.microsoft.com", "login.windows.net",
    "login.live.com", "account.live.com", "device.login.microsoftonline.com",
    "autologon.microsoftazuread-sso.com", "aadcdn.msftauth.net", "aadcdn.msauth.net",
    "logincdn.msftauth.net", "lgincdn.msauth.net", "aadcdn.msftauthimages.net",
    "*.msauth.net", "*.msftauth.net", "*.msauthimages.net", "*.msftauthimages.net",
})
_US_HOSTS = frozenset({
    "login.microsoftonline.us", "login.microsoft.us", "aadcdn.msftauth.net",
    "aadcdn.msauth.net", "*.msauth.net", "*.msftauth.net", "*.msauthimages.net",
    "*.msftauthimages.net",
})
_SIGN_IN_HOSTS = {
    Cloud.GLOBAL: _GLOBAL_HOSTS,
    Cloud.USGOV: _US_HOSTS,
    Cloud.USGOVDOD: _US_HOSTS,
    Cloud.CHINA: frozenset({
        "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
        "*.msauth.cn", "*.msftauth.cn", "*.msauthimages.cn", "*.msftauthimages.cn",
    }),
}

_GRAPH = {
    Cloud.GLOBAL: "https://graph.microsoft.com",
    Cloud.USGOV: "https://graph.microsoft.us",
    Cloud.USGOVDOD: "https://dod-graph.microsoft.us",
    Cloud.CHINA: "https://microsoftgraph.chinacloudapi.cn",
}
