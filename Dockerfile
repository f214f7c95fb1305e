# The hirepath image: one image, two commands (`hirepath api`, `hirepath worker`).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    HIREPATH_TEMPLATES_DIR=/app/templates \
    HIREPATH_STATIC_DIR=/app/static
WORKDIR /app
COPY pyproject.toml README.md ./
COPY pathways pathways
COPY workflows workflows
COPY activities activities
COPY api api
COPY store store
COPY hirepath hirepath
COPY templates templates
COPY static static
RUN pip install --no-cache-dir '.[postgres]' && useradd --create-home hirepath && mkdir /data && chown hirepath /data
USER hirepath
EXPOSE 8000
CMD ["hirepath", "api"]
