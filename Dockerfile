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
VOLUME /data
EXPOSE 8000
ENTRYPOINT ["zonegraph"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--demo"]
