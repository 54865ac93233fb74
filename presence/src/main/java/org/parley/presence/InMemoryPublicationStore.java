package org.parley.presence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Publications of a single node, by presentity and entity tag. */
final class InMemoryPublicationStore implements PublicationStore {
    private final Map<String, Map<String, Publication>> byAor = new ConcurrentHashMap<>();

    @Override
    public Optional<Publication> find(String aor, String etag) {
        return Optional.ofNullable(byAor.getOrDefault(aor, Map.of()).get(etag));
    }

    @Override
    public void put(Publication publication) {
        byAor.computeIfAbsent(publication.aor(), a -> new ConcurrentHashMap<>()).put(publication.etag(), publication);
    }

    @Override
    public boolean remove(String aor, String etag) {
        boolean[] removed = {false};
        byAor.computeIfPresent(aor, (a, etags) -> {
            removed[0] = etags.remove(etag) != null;
            return etags.isEmpty() ? null : etags;
        });
        return removed[0];
    }

    @Override
    public List<Publication> of(String aor) {
        Map<String, Publication> etags = byAor.get(aor);
        return etags == null ? List.of() : List.copyOf(etags.values());
    }
}
