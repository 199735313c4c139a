package dev.merlai.music.musicxml;

import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.ScoreReadException.Kind;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A light, read-only XML element tree built by a SAX parser: about twice as fast as a DOM for the large
 * files MuseScore writes, and all the reader needs (names, attributes, children, text).
 *
 * <p>The parser is configured safely: no DTD is loaded, no external entity is read or fetched (the entity
 * resolver answers every request with nothing), the JDK's secure-processing limits stop entity expansion
 * bombs, and elements may nest at most {@value #MAX_DEPTH} deep.
 */
final class XmlElement {

    /** Deepest element nesting accepted; MusicXML nests about ten deep. */
    static final int MAX_DEPTH = 100;

    private static final SAXParserFactory FACTORY = secureFactory();
    private static final String[] NO_ATTRIBUTES = {};

    private final String name;
    /** Attribute names and values, alternating. */
    private final String[] attributes;
    private final List<XmlElement> children = new ArrayList<>(4);
    private StringBuilder text;

    private XmlElement(String name, String[] attributes) {
        this.name = name;
        this.attributes = attributes;
    }

    String name() {
        return name;
    }

    /** The attribute's value, or an empty string when it is absent. */
    String attribute(String attributeName) {
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i].equals(attributeName)) return attributes[i + 1];
        }
        return "";
    }

    boolean hasAttribute(String attributeName) {
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i].equals(attributeName)) return true;
        }
        return false;
    }

    /** The element's own text (not its children's), trimmed. */
    String text() {
        return text == null ? "" : text.toString().trim();
    }

    List<XmlElement> children() {
        return children;
    }

    List<XmlElement> children(String childName) {
        List<XmlElement> result = new ArrayList<>();
        for (XmlElement child : children) {
            if (child.name.equals(childName)) result.add(child);
        }
        return result;
    }

    /** The first child of that name, or null. */
    XmlElement child(String childName) {
        for (XmlElement child : children) {
            if (child.name.equals(childName)) return child;
        }
        return null;
    }

    /** The trimmed text of the first child of that name, or null when there is none. */
    String childText(String childName) {
        XmlElement child = child(childName);
        return child == null ? null : child.text();
    }

    /** The first element of that name in this subtree, depth first, or null. */
    XmlElement find(String elementName) {
        if (name.equals(elementName)) return this;
        for (XmlElement child : children) {
            XmlElement found = child.find(elementName);
            if (found != null) return found;
        }
        return null;
    }

    /**
     * Parses a document and returns its root element.
     *
     * @param file the file inside a {@code .mxl} for error locations, or empty
     * @throws ScoreReadException CORRUPT for anything that is not well-formed XML, with line and column
     */
    static XmlElement parse(byte[] xml, String file) throws ScoreReadException {
        String prefix = file.isEmpty() ? "" : file + ", ";
        Builder builder = new Builder();
        try {
            SAXParser parser;
            synchronized (FACTORY) {
                parser = FACTORY.newSAXParser();
            }
            parser.parse(new ByteArrayInputStream(xml), builder);
        } catch (SAXParseException e) {
            throw new ScoreReadException(Kind.CORRUPT, prefix + "line " + e.getLineNumber() + ", column " + e.getColumnNumber(),
                    "malformed XML: " + e.getMessage(), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new ScoreReadException(Kind.CORRUPT, file, "malformed XML: " + e.getMessage(), e);
        }
        if (builder.root == null) throw new ScoreReadException(Kind.CORRUPT, file, "malformed XML: no root element");
        return builder.root;
    }

    private static SAXParserFactory secureFactory() {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured safely", e);
        }
        return factory;
    }

    /** Builds the tree from SAX events; refuses external resources and nesting deeper than {@link #MAX_DEPTH}. */
    private static final class Builder extends DefaultHandler {
        private final Deque<XmlElement> open = new ArrayDeque<>();
        private XmlElement root;

        @Override
        public InputSource resolveEntity(String publicId, String systemId) {
            return new InputSource(new StringReader("")); // nothing outside the input is ever read
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            if (open.size() >= MAX_DEPTH) throw new SAXException("elements nest deeper than " + MAX_DEPTH);
            String[] pairs = NO_ATTRIBUTES;
            if (attributes.getLength() > 0) {
                pairs = new String[2 * attributes.getLength()];
                for (int i = 0; i < attributes.getLength(); i++) {
                    pairs[2 * i] = attributes.getQName(i);
                    pairs[2 * i + 1] = attributes.getValue(i);
                }
            }
            XmlElement element = new XmlElement(qName, pairs);
            if (open.isEmpty()) root = element;
            else open.peek().children.add(element);
            open.push(element);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void characters(char[] characters, int start, int length) {
            XmlElement element = open.peek();
            if (element == null) return;
            if (element.text == null) {
                boolean blank = true;
                for (int i = start; i < start + length && blank; i++) blank = Character.isWhitespace(characters[i]);
                if (blank) return; // indentation between elements
                element.text = new StringBuilder(length);
            }
            element.text.append(characters, start, length);
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
