from ninja import NinjaAPI

api = NinjaAPI(title="Internationale API", version="1", urls_namespace="api")
