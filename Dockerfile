# zonegraph for deployments (docker compose up). The build needs PyPI only.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_model graph_model
COPY loaders loaders
COPY queries queries
COPY api api
COPY viz viz
RUN pip install --no-cache-dir .
ENV ZONEGRAPH_DB=/data/zonegraph.lbug
ENV ZONEGRAPH_ACCOUNTS=/data/accounts.sqlite
# The server listens on every address inside the container, in clear HTTP. Publish the port
# on the host's loopback only, and let a reverse proxy with TLS (nginx, Caddy) serve others;
# set FORWARDED_ALLOW_IPS to the proxy's address so the app sees HTTPS and marks its cookies
# Secure. The first start prints the administrator's one-time password to the log.
VOLUME /data
EXPOSE 8000
ENTRYPOINT ["zonegraph"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--demo"]
