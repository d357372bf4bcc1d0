"""The ARM paths of Microsoft.CognitiveServices (cognitiveservices.json `paths`).

operation-table rows: every ARM operation lives in router_accounts.py / router_deployments.py,
one route per operationId (named in a comment on each route); none is metered or stubbable,
none passes the data-plane gate (management/gate.py admits them).
"""

SUB = "/subscriptions/{sub}"
PROVIDER = "/providers/Microsoft.CognitiveServices"
ACCOUNTS = SUB + "/resourceGroups/{group}" + PROVIDER + "/accounts"
ACCOUNT = ACCOUNTS + "/{account}"
DEPLOYMENT = ACCOUNT + "/deployments/{deployment}"
OPERATION = SUB + PROVIDER + "/locations/{location}"
